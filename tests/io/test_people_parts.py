"""A file read a part at a time imports, and fails, as the whole file read at once."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, select
from tests.builders import PEOPLE_HEADER, family, person, survey, write_csv

from ansinh.errors import InputError
from ansinh.io import importer, tables
from ansinh.io.importer import ImportResult, import_file
from ansinh.io.people_parts import KeptPeople, check_file
from ansinh.io.tables import read_table_parts
from ansinh.problems import ROW
from ansinh.store import people_import
from ansinh.store.db import make_engine
from ansinh.store.models import Benefit, Household, Person, Survey
from ansinh.store.people_import import PeopleFrame, household_slices


@pytest.fixture
def whole(tmp_path: Path, sqlite_template: Path) -> Engine:
    """A second, empty registry, written from each file read whole."""
    path = tmp_path / "whole.db"
    shutil.copy(sqlite_template, path)
    return make_engine(url=f"sqlite:///{path}")


def in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows a part, and one household a slice: every boundary a small file can have."""
    monkeypatch.setattr(tables, "PART_ROWS", 2)
    monkeypatch.setattr(importer, "PART_ROWS", 2)
    monkeypatch.setattr(people_import, "SLICE_HOUSEHOLDS", 1)


def scattered() -> list[dict[str, str]]:
    """The family's rows with a household's members far apart, across parts and slices."""
    rows = family()
    return [rows[0], rows[4], rows[1], rows[5], rows[2], rows[3]]


def contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What the registry holds, by code: ids and times differ from one registry to another."""
    with engine.connect() as connection:
        people = connection.execute(
            select(Person.code, Household.code, *[getattr(Person, f) for f in FIELDS]).join(
                Household, Household.id == Person.household_id
            )
        ).all()
        households = connection.execute(
            select(Household.code, Household.commune_code, Household.village_code)
        ).all()
        benefits = connection.execute(
            select(Person.code, Benefit.programme, Benefit.category).join(
                Person, Person.id == Benefit.person_id
            )
        ).all()
    return {
        "people": sorted(tuple(r) for r in people),
        "households": sorted(tuple(r) for r in households),
        "benefits": sorted(tuple(r) for r in benefits),
    }


FIELDS = ["full_name", "birth_date", "sex", "citizen_id", "relation", "ethnicity_code"]


def import_both(
    engine: Engine, whole: Engine, path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[ImportResult, ImportResult]:
    once = import_file(whole, path, actor="tester", **options)
    with monkeypatch.context() as patch:
        in_parts(patch)
        parted = import_file(engine, path, actor="tester", **options)
    return once, parted


def test_a_file_in_parts_writes_what_the_whole_file_writes(
    engine: Engine, whole: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "h.csv", scattered())
    once, parted = import_both(engine, whole, path, monkeypatch)
    assert parted.counts == once.counts
    assert parted.counts["new_people"] == 6 and parted.counts["new_households"] == 2
    assert contents(engine) == contents(whole)
    # Again, changed: the parts plan updates against the registry as the whole file does.
    rows = scattered()
    rows[3]["full_name"] = "Nguyễn Văn Hùng Anh"
    rows[4]["meritorious_category"] = ""
    path = write_csv(tmp_path / "h2.csv", rows)
    once, parted = import_both(engine, whole, path, monkeypatch)
    assert parted.counts == once.counts
    assert contents(engine) == contents(whole)


def test_rows_in_different_parts_are_checked_against_one_another(
    engine: Engine, whole: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = scattered()
    rows[5]["person_id"] = rows[0]["person_id"]  # the same person, four rows apart
    rows[2]["address"] = "Bản Khao"  # a member who disagrees with the head two parts before
    rows[4]["relation"] = "head"  # a second head, in another part
    path = write_csv(tmp_path / "h.csv", rows, PEOPLE_HEADER)
    found = []
    for target in (whole, engine):
        with monkeypatch.context() as patch:
            if target is engine:
                in_parts(patch)
            with pytest.raises(InputError) as error:
                import_file(target, path, actor="tester")
        found.append(sorted((p.row, p.column, p.reason_en) for p in error.value.problems))
    assert found[0] == found[1]
    assert {(2, "person_id"), (7, "person_id"), (4, "address"), (6, "relation")} <= {
        (row, column) for row, column, _ in found[1]
    }
    assert contents(engine) == contents(whole) == {"people": [], "households": [], "benefits": []}


def test_keeping_good_rows_in_parts_drops_whole_households_as_the_whole_file_does(
    engine: Engine, whole: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = scattered()
    rows[5]["birth_date"] = "1990-13-45"  # the last row: its household's head is the first
    path = write_csv(tmp_path / "h.csv", rows)
    once = import_file(whole, path, actor="tester", keep_good=True, rejects=tmp_path / "once.csv")
    with monkeypatch.context() as patch:
        in_parts(patch)
        parted = import_file(
            engine, path, actor="tester", keep_good=True, rejects=tmp_path / "parts.csv"
        )
    assert parted.rejected_rows == once.rejected_rows and len(once.rejected_rows) == 4
    assert parted.counts == once.counts
    assert contents(engine) == contents(whole)
    assert (tmp_path / "parts.csv").read_bytes() == (tmp_path / "once.csv").read_bytes()


def test_a_file_of_several_parts_is_held_on_disk_and_sliced_as_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_import, "SLICE_HOUSEHOLDS", 2)
    rows = [
        person(f"P{n}", f"H{n % 5}", "Lò Văn Sáng", "head" if n < 5 else "child") for n in range(12)
    ]
    path = write_csv(tmp_path / "h.csv", rows)
    communes, today = {rows[0]["commune_code"]}, date(2026, 1, 1)
    parts = list(read_table_parts(path, rows=5))
    assert [part[ROW].to_list()[0] for part in parts] == [2, 7, 12]
    on_disk = check_file(parts, PEOPLE_HEADER, communes, today, tmp_path)
    in_memory = check_file([pl.concat(parts)], PEOPLE_HEADER, communes, today, tmp_path)
    assert isinstance(on_disk.people, KeptPeople) and isinstance(in_memory.people, PeopleFrame)
    assert list(tmp_path.glob("*.parquet"))
    sliced = list(on_disk.people.slices())
    whole = household_slices(in_memory.people.people)
    assert [part[ROW].to_list() for part in sliced] == [part[ROW].to_list() for part in whole]
    assert len(sliced) == 3 and sliced[0].columns == in_memory.people.columns
    kept = on_disk.people.without(pl.Series(["H1"]))
    assert sorted(kept.rows().to_list()) == [r for r in range(2, 14) if (r - 2) % 5 != 1]
    assert kept.households()["household_id"].to_list() == ["H0", "H2", "H3", "H4"]


def test_a_row_that_cannot_be_read_in_a_later_part_writes_nothing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "h.csv", scattered())
    with path.open("a", encoding="utf-8") as file:
        file.write("P9,H9,Lò Văn Sáng,,,,04465,,,,,head,,,,,,,one cell too many\n")
    in_parts(monkeypatch)
    with pytest.raises(InputError) as error:
        import_file(engine, path, actor="tester")
    assert "Cannot read the CSV file" in error.value.problems[0].reason_en
    assert contents(engine) == {"people": [], "households": [], "benefits": []}


def questionnaires(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Household.code, Survey.survey_date, Survey.income_per_capita).join(
                Household, Household.id == Survey.household_id
            )
        ).all()
    return sorted(tuple(r) for r in rows)


def test_questionnaires_in_parts_are_checked_and_written_as_the_whole_file(
    engine: Engine, whole: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = write_csv(tmp_path / "h.csv", family())
    import_file(whole, people, actor="tester")
    import_file(engine, people, actor="tester")
    rows = [
        survey("H1", 1_200_000, {"water"}, survey_date="2025-08-01"),
        survey("H2", 3_500_000, set(), survey_date="2025-08-01"),
        survey("H9", 1, set()),  # no such household
        survey("H1", 900_000, set(), survey_date="2025-08-01"),  # the first's date, two parts on
        survey("H2", 3_000_000, set(), survey_date="2025-09-01"),
    ]
    path = write_csv(tmp_path / "s.csv", rows)
    once = import_file(whole, path, actor="tester", keep_good=True, rejects=tmp_path / "1.csv")
    with monkeypatch.context() as patch:
        in_parts(patch)
        parted = import_file(
            engine, path, actor="tester", keep_good=True, rejects=tmp_path / "2.csv"
        )
    assert sorted((p.row, p.column) for p in parted.problems) == [
        (2, "household_id"),
        (4, "household_id"),
        (5, "household_id"),
    ]
    assert sorted(p.reason_en for p in parted.problems) == sorted(
        p.reason_en for p in once.problems
    )
    assert parted.counts == once.counts and parted.counts["new_surveys"] == 2
    assert questionnaires(engine) == questionnaires(whole)
    assert (tmp_path / "2.csv").read_bytes() == (tmp_path / "1.csv").read_bytes()

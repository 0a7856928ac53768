"""Importing households, members and questionnaires: all-or-nothing, idempotent, never guessing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from tests.builders import PEOPLE_HEADER, family, person, survey, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store import people_import
from ansinh.store.models import AuditEntry, Benefit, Household, Person, Survey, Unit


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Household, Person, Benefit, Survey, AuditEntry)
        }


def reasons(error: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in error.value.problems]


def test_import_creates_households_people_benefits_and_audit(
    engine: Engine, tmp_path: Path
) -> None:
    result = import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    assert result.counts["new_households"] == 2
    assert result.counts["new_people"] == 6
    assert result.counts["new_villages"] == 1
    after = counts(engine)
    assert after["household"] == 2 and after["person"] == 6 and after["benefit"] == 2
    assert after["audit_log"] >= 2 + 6 + 2
    with engine.connect() as connection:
        names = dict(connection.execute(select(Person.code, Person.name_folded)).all())
        village = connection.scalar(select(Unit.parent_code).where(Unit.code == "04465-01"))
        ethnicity = dict(connection.execute(select(Person.code, Person.ethnicity_code)).all())
    assert names["P5"] == "nguyen van hung"
    assert village == "04465"
    assert ethnicity["P3"] == "08"  # "H'Mông" is the Mông group


def test_reimporting_the_same_file_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", family())
    import_file(engine, path, actor="tester")
    before = counts(engine)
    result = import_file(engine, path, actor="tester")
    assert counts(engine) == before
    assert all(value == 0 for value in result.counts.values())


def test_a_changed_row_updates_its_record_and_is_audited(engine: Engine, tmp_path: Path) -> None:
    rows = family()
    import_file(engine, write_csv(tmp_path / "h.csv", rows), actor="tester")
    rows[1]["full_name"] = "Sùng Thị Mai Anh"
    result = import_file(engine, write_csv(tmp_path / "h2.csv", rows), actor="officer")
    assert result.counts["changed_people"] == 1 and result.counts["new_people"] == 0
    with engine.connect() as connection:
        entry = connection.execute(
            select(AuditEntry.actor, AuditEntry.before, AuditEntry.after).where(
                AuditEntry.entity == "person", AuditEntry.action == "update"
            )
        ).one()
    assert entry.actor == "officer"
    assert "Sùng Thị Mai" in entry.before and "Mai Anh" in entry.after


def registry_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every household, person and benefit as stored, to compare before and after."""
    with engine.connect() as connection:
        return {
            model.__tablename__: sorted(
                tuple(row) for row in connection.execute(select(model.__table__)).all()
            )
            for model in (Household, Person, Benefit)
        }


@pytest.mark.parametrize(
    "header",
    [
        ["person_id", "household_id", "full_name", "commune_code", "relation"],
        ["person_id", "household_id", "full_name", "commune_code", "relation", "birth_date"],
        [c for c in PEOPLE_HEADER if c not in {"source", "meritorious_category", "address"}],
    ],
    ids=["required-only", "with-birth-date", "without-source-benefit-address"],
)
def test_a_column_the_file_leaves_out_changes_nothing(
    engine: Engine, tmp_path: Path, header: list[str]
) -> None:
    """Trust issue, High: a re-import naming only some columns cleared every other field.

    An absent column means "no change"; only an empty cell in a present column clears a value.
    """
    rows = family()
    for row in rows:
        row.update(source="ldtbxh", address="Bản Khao")
    import_file(engine, write_csv(tmp_path / "full.csv", rows, PEOPLE_HEADER), actor="tester")
    before, audited = registry_state(engine), counts(engine)["audit_log"]
    partial = [{c: row[c] for c in header} for row in rows]
    result = import_file(engine, write_csv(tmp_path / "part.csv", partial, header), actor="t")
    assert all(value == 0 for value in result.counts.values()), result.counts
    assert registry_state(engine) == before
    assert counts(engine)["audit_log"] == audited


def test_an_empty_cell_in_a_present_column_clears_only_that_field(
    engine: Engine, tmp_path: Path
) -> None:
    rows = family()
    for row in rows:
        row["source"] = "ldtbxh"
    import_file(engine, write_csv(tmp_path / "full.csv", rows, PEOPLE_HEADER), actor="tester")
    header = ["person_id", "household_id", "full_name", "commune_code", "relation", "source"]
    partial = [{c: row[c] for c in header} for row in rows]
    partial[3]["source"] = ""
    result = import_file(engine, write_csv(tmp_path / "part.csv", partial, header), actor="t")
    assert result.counts["changed_people"] == 1
    with engine.connect() as connection:
        stored = dict(connection.execute(select(Person.code, Person.source)).all())
        births = dict(connection.execute(select(Person.code, Person.birth_date)).all())
        benefits = connection.scalar(select(func.count()).select_from(Benefit))
    assert stored["P4"] is None and stored["P1"] == "ldtbxh"
    assert births["P4"] == "1940" and benefits == 2


@pytest.mark.parametrize(
    ("change", "row", "column"),
    [
        ({"birth_date": "1990-02-30"}, 2, "birth_date"),
        ({"birth_date": "2999"}, 2, "birth_date"),
        ({"commune_code": "99999"}, 2, "commune_code"),
        ({"citizen_id": "12345"}, 2, "citizen_id"),
        ({"citizen_id": "015170000123"}, 2, "citizen_id"),  # says a woman; the head is a man
        ({"relation": "spouse"}, 2, "relation"),  # household H1 left without a head
        ({"ethnicity": "Klingon"}, 2, "ethnicity"),
        ({"sex": "X"}, 2, "sex"),
        ({"full_name": ""}, 2, "full_name"),
        ({"meritorious_category": "general"}, 2, "meritorious_category"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_written(
    engine: Engine, tmp_path: Path, change: dict[str, str], row: int, column: str
) -> None:
    rows = family()
    rows[0].update(change)
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "bad.csv", rows), actor="tester")
    assert (row, column) in reasons(error)
    assert all(
        p.file.endswith("bad.csv") and p.reason_vi and p.reason_en for p in error.value.problems
    )
    assert counts(engine)["household"] == 0 and counts(engine)["audit_log"] == 0


def test_duplicate_person_id_names_both_rows(engine: Engine, tmp_path: Path) -> None:
    rows = family()
    rows[5]["person_id"] = "P5"
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "dup.csv", rows), actor="tester")
    assert (6, "person_id") in reasons(error) and (7, "person_id") in reasons(error)
    assert counts(engine)["person"] == 0


def test_missing_column_and_wrong_encoding_are_reported(engine: Engine, tmp_path: Path) -> None:
    header = [c for c in PEOPLE_HEADER if c != "relation"]
    rows = [{k: v for k, v in r.items() if k != "relation"} for r in family()]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "m.csv", rows, header), actor="tester")
    assert error.value.problems[0].column == "relation"
    latin = tmp_path / "latin.csv"
    # "Hòa" as a Windows-1258 spreadsheet export writes it: not UTF-8.
    latin.write_bytes(b"person_id,full_name\nP1,Ho\xe0\n")
    with pytest.raises(InputError) as error:
        import_file(engine, latin, actor="tester")
    assert "UTF-8" in error.value.problems[0].reason_en
    assert error.value.problems[0].row == 2
    assert counts(engine)["person"] == 0


def test_keep_good_writes_good_households_and_rejects_the_rest(
    engine: Engine, tmp_path: Path
) -> None:
    rows = family()
    rows[1]["birth_date"] = "1972-13"
    rejects = tmp_path / "rejects.csv"
    result = import_file(
        engine, write_csv(tmp_path / "h.csv", rows), actor="tester", keep_good=True, rejects=rejects
    )
    assert result.counts["new_households"] == 1  # H2 only: H1 is rejected whole
    assert sorted(result.rejected_rows) == [2, 3, 4, 5]
    text = rejects.read_text(encoding="utf-8")
    assert "birth_date" in text and "rejected with its household" in text
    assert counts(engine)["person"] == 2


def test_an_import_does_not_move_a_person_to_another_household(
    engine: Engine, tmp_path: Path
) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    moved = [
        person("P2", "H9", "Sùng Thị Mai", "head", birth_date="1972", sex="F"),
    ]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "m.csv", moved), actor="tester")
    assert (2, "household_id") in reasons(error)
    assert counts(engine)["household"] == 2


def test_a_citizen_id_held_by_another_person_is_an_error(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    other = [
        person(
            "P9", "H9", "Giàng A Páo", "head", birth_date="1970", sex="M", citizen_id="015070000123"
        )
    ]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "o.csv", other), actor="tester")
    assert (2, "citizen_id") in reasons(error)


def test_dry_run_checks_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    result = import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="t", dry_run=True)
    assert result.counts["new_people"] == 6
    assert counts(engine)["person"] == 0


def test_questionnaires_import_after_their_households(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    rows = [
        survey("H1", 1_200_000, {"water", "sanitation", "telecom"}),
        survey("H2", 3_500_000, set()),
    ]
    path = write_csv(tmp_path / "s.csv", rows)
    result = import_file(engine, path, actor="tester")
    assert result.counts == {"new_surveys": 2, "changed_surveys": 0}
    again = import_file(engine, path, actor="tester")
    assert again.counts == {"new_surveys": 0, "changed_surveys": 0}
    with engine.connect() as connection:
        dates = connection.scalars(select(Survey.survey_date)).all()
    assert {d.isoformat() for d in dates} == {"2025-12-14"}  # Decision 24/2021, Article 3


def test_bad_questionnaires_are_named(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    rows = [survey("H1", 1_200_000, set()), survey("H7", 1, set()), survey("H2", 5, set())]
    rows[0]["income_per_capita"] = "1.200.000"
    rows[2]["area"] = "moon"
    rows[2]["deprived_water"] = "yes"
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "s.csv", rows), actor="tester")
    assert {
        (2, "income_per_capita"),
        (3, "household_id"),
        (4, "area"),
        (4, "deprived_water"),
    } <= set(reasons(error))
    assert counts(engine)["survey"] == 0


def test_an_import_written_a_household_at_a_time_is_the_same_import(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_import, "SLICE_HOUSEHOLDS", 1)
    rows = family()
    rows.insert(1, rows.pop(4))  # H1's members on both sides of H2's head
    path = write_csv(tmp_path / "h.csv", rows)
    dry = import_file(engine, path, actor="tester", dry_run=True)
    result = import_file(engine, path, actor="tester")
    assert (
        dry.counts
        == result.counts
        == {
            "new_villages": 1,
            "new_households": 2,
            "changed_households": 0,
            "new_people": 6,
            "changed_people": 0,
            "benefit_changes": 2,
        }
    )
    with engine.connect() as connection:
        members = connection.execute(
            select(Person.code, Household.code).join(Household, Household.id == Person.household_id)
        ).all()
        audited = connection.execute(
            select(AuditEntry.entity, func.count()).group_by(AuditEntry.entity)
        ).all()
        stamps = connection.scalar(select(func.count(func.distinct(Person.updated_at))))
    assert dict(members) == {f"P{n}": "H1" if n < 5 else "H2" for n in range(1, 7)}
    assert dict(audited) == {"unit": 1, "household": 2, "person": 6, "benefit": 2}
    assert stamps == 1  # one import, one time, whatever its slices
    again = import_file(engine, path, actor="tester")
    assert all(value == 0 for value in again.counts.values())


def test_a_conflict_in_a_later_slice_writes_nothing(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    before = counts(engine)
    monkeypatch.setattr(people_import, "SLICE_HOUSEHOLDS", 1)
    rows = [
        person("P7", "H7", "Lò Văn Sáng", "head", birth_date="1990", sex="M"),
        person("P2", "H9", "Sùng Thị Mai", "head", birth_date="1972", sex="F"),
    ]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "m.csv", rows), actor="tester")
    assert reasons(error) == [(3, "household_id")]
    assert counts(engine) == before


def test_keep_good_rejects_a_conflicting_household_and_writes_the_others(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    monkeypatch.setattr(people_import, "SLICE_HOUSEHOLDS", 1)
    rows = [
        person("P2", "H9", "Sùng Thị Mai", "head", birth_date="1972", sex="F"),
        person("P7", "H7", "Lò Văn Sáng", "head", birth_date="1990", sex="M"),
        person("P8", "H7", "Lò Thị Hoa", "spouse", birth_date="1992", sex="F"),
    ]
    rejects = tmp_path / "rejects.csv"
    path = write_csv(tmp_path / "m.csv", rows)
    result = import_file(engine, path, actor="tester", keep_good=True, rejects=rejects)
    assert result.counts["new_households"] == 1 and result.counts["new_people"] == 2
    assert result.rejected_rows == [2]
    rejected = pl.read_csv(rejects, infer_schema=False)
    assert rejected["row"].to_list() == ["2"] and rejected["person_id"].to_list() == ["P2"]
    assert "already belongs to household 'H1'" in rejected["errors"][0]
    with engine.connect() as connection:
        homes = dict(
            connection.execute(
                select(Person.code, Household.code).join(
                    Household, Household.id == Person.household_id
                )
            ).all()
        )
    assert homes["P2"] == "H1" and homes["P7"] == homes["P8"] == "H7"


@pytest.mark.parametrize("size", [600, 5_000])
def test_duplicates_in_a_file_of_several_chunks_are_named(
    engine: Engine, tmp_path: Path, size: int
) -> None:
    """Trust issue, item 5: a duplicate person_id or citizen_id in a file of 500+ rows, read
    by polars in several chunks, panicked (a Rust traceback on the CLI, a 500 on the web)."""
    from ansinh.io.tables import read_table

    rows = [person(f"P{n}", f"H{n}", "Lò Văn Sáng", "head") for n in range(size)]
    for row in (rows[0], rows[-1]):
        row.update(birth_date="1980", sex="M", citizen_id="015080000777")
    rows[-1]["person_id"] = "P0"
    path = write_csv(tmp_path / "dup.csv", rows)
    assert read_table(path).n_chunks("all") != [1] * (len(PEOPLE_HEADER) + 1)
    with pytest.raises(InputError) as error:
        import_file(engine, path, actor="tester")
    last = size + 1
    assert {(2, "person_id"), (last, "person_id"), (2, "citizen_id"), (last, "citizen_id")} <= set(
        reasons(error)
    )


@pytest.mark.parametrize(
    "code",
    ["04465-0\r\n1", '04465-"1"', "04465-a/b", "04465-" + "9" * 100, "04456", "04456-01", "x"],
)
def test_a_village_code_out_of_pattern_is_refused_in_the_dry_run(
    engine: Engine, tmp_path: Path, code: str
) -> None:
    """Trust issue, item 8: CRLF, quotes, '/', 100+ characters, a commune's code (an
    IntegrityError traceback at the write) or another commune's prefix all passed the dry run."""
    rows = [person("P1", "H1", "Giàng A Páo", "head", village_code=code, village_name="Thôn Mới")]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "v.csv", rows), actor="t", dry_run=True)
    assert (2, "village_code") in reasons(error)


def test_nul_bytes_are_a_clear_error(engine: Engine, tmp_path: Path) -> None:
    """Trust issue, item 8: stored on SQLite, a traceback printing the citizen ID on PostgreSQL."""
    path = write_csv(tmp_path / "nul.csv", [person("P1", "H1", "Giàng\x00 A Páo", "head")])
    with pytest.raises(InputError) as error:
        import_file(engine, path, actor="tester")
    assert reasons(error) == [(2, "full_name")]
    assert counts(engine)["person"] == 0


def test_a_value_longer_than_the_registry_keeps_is_named(engine: Engine, tmp_path: Path) -> None:
    rows = [person("P1", "H1", "Giàng A Páo", "head", source="x" * 101)]
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "long.csv", rows), actor="tester")
    assert reasons(error) == [(2, "source")]


def test_two_imports_creating_the_same_village_end_in_a_clear_error(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trust issue, item 8: the second of two concurrent imports failed with a traceback."""
    from datetime import date

    plan = people_import.plan_villages

    def meanwhile(*args: Any) -> Any:
        found = plan(*args)
        with engine.begin() as other:  # another import commits the village first
            other.execute(
                Unit.__table__.insert().values(  # type: ignore[attr-defined]
                    code="04465-01", parent_code="04465", level="village", name="Thôn 1",
                    division_type="thôn", valid_from=date(2025, 7, 1), legacy=False,
                )
            )  # fmt: skip
        return found

    # Planned again to be written, after the conflicts were found: the other import commits then.
    monkeypatch.setattr(people_import, "plan_villages", meanwhile)
    with pytest.raises(InputError) as error:
        import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    assert "at the same time" in error.value.problems[0].reason_en
    assert counts(engine)["person"] == 0

"""Each household's counts of its people, kept as imports change the people and their benefits."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Connection, Engine, text
from tests.builders import family, person, write_csv

from ansinh.io.importer import import_file
from ansinh.store import household_facts

FACTS = "code, members, workers, head_ethnicity, meritorious_members"
# The same counts, taken from the people themselves.
RECOUNTED = """
    SELECT h.code,
           (SELECT COUNT(*) FROM person p WHERE p.household_id = h.id),
           (SELECT COUNT(*) FROM person p WHERE p.household_id = h.id AND p.able_to_work),
           (SELECT MAX(p.ethnicity_code) FROM person p
            WHERE p.household_id = h.id AND p.relation = 'head'),
           (SELECT COUNT(*) FROM benefit b JOIN person p ON p.id = b.person_id
            WHERE p.household_id = h.id AND b.programme = 'meritorious')
    FROM household h ORDER BY h.code"""


def facts(connection: Connection) -> list[tuple[object, ...]]:
    held = connection.execute(text(f"SELECT {FACTS} FROM household ORDER BY code")).all()
    assert [tuple(r) for r in held] == [tuple(r) for r in connection.execute(text(RECOUNTED))]
    return [tuple(r) for r in held]


def test_an_import_counts_each_household(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    with engine.connect() as connection:
        # H1: four Mông people, three able to work, a meritorious grandfather; H2: a Kinh couple.
        assert facts(connection) == [("H1", 4, 3, "08", 1), ("H2", 2, 2, "01", 0)]


def test_changed_people_and_benefits_are_counted_again(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    changed = family()
    changed[3] |= {"meritorious_category": "", "able_to_work": "1"}  # P4 of H1
    changed.append(person("P7", "H2", "Nguyễn Văn An", "child", ethnicity="Kinh"))
    changed[-1] |= {"commune_code": "04456", "village_code": "", "village_name": ""}
    import_file(engine, write_csv(tmp_path / "changed.csv", changed), actor="tester")
    with engine.connect() as connection:
        assert facts(connection) == [("H1", 4, 4, "08", 0), ("H2", 3, 2, "01", 0)]


def test_a_file_that_changes_nothing_counts_nothing_again(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", family())
    import_file(engine, path, actor="tester")
    with engine.begin() as connection:
        connection.execute(text("UPDATE household SET members = 99 WHERE code = 'H2'"))
    import_file(engine, path, actor="tester")
    with engine.connect() as connection:
        members = connection.scalar(text("SELECT members FROM household WHERE code = 'H2'"))
    assert members == 99  # the same file wrote nothing, so nothing was recounted


def test_new_households_are_counted_from_their_rows_unless_a_member_is_held() -> None:
    people = pl.DataFrame(
        {
            "code": ["P1", "P2", "P3", "P4", "P5"],
            "household_code": ["H1", "H1", "H1", "H2", "H3"],
            "relation": ["head", "spouse", "child", "head", "head"],
            "able_to_work": [True, None, True, False, True],
            "ethnicity_code": ["08", "01", "08", "01", "17"],
            "id": [None, None, None, None, 7],  # P5 is held: H3 is counted in the registry
        }
    )
    benefits = pl.DataFrame(
        {
            "person_id": ["P1", "P1", "P2", "P4"],
            "programme": ["meritorious", "meritorious", "social_assistance", "meritorious"],
            "category": ["a", "b", "c", "a"],
        }
    )
    facts = household_facts.of_new(people, benefits).sort("code")
    # P1's two meritorious categories count one member, as the registry's EXISTS does.
    assert facts.rows() == [("H1", 3, 2, "08", 1), ("H2", 1, 0, "01", 1)]


def test_new_households_are_written_once_with_their_facts(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recounted: list[list[int]] = []
    count_again = household_facts.count_again

    def recording(connection: Connection, ids: pl.Series) -> None:
        recounted.append(ids.to_list())
        count_again(connection, ids)

    monkeypatch.setattr(household_facts, "count_again", recording)
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    assert recounted == [[]]  # none counted again after it was written
    with engine.connect() as connection:
        assert facts(connection) == [("H1", 4, 3, "08", 1), ("H2", 2, 2, "01", 0)]

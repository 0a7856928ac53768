"""Each household's counts of its people, kept as imports change the people and their benefits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, text
from tests.builders import family, person, write_csv

from ansinh.io.importer import import_file

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

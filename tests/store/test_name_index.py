"""The SQLite word indexes of names after a bulk import: every imported person, and later ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from tests.builders import family, person, write_csv

from ansinh.io.importer import import_file


def _codes(engine: Engine, index: str, match: str) -> set[str]:
    """Codes of the people a word index of names matches."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT person.code FROM {index} JOIN person ON person.id = {index}.rowid "
                f"WHERE {index} MATCH :match"
            ),
            {"match": match},
        )
        return {row[0] for row in rows}


def _matches(engine: Engine, word: str) -> set[str]:
    return _codes(engine, "person_name", word)


def _pair_matches(engine: Engine, pair: str) -> set[str]:
    return _codes(engine, "person_name_pair", f'"{pair}"')


def test_imported_people_are_in_the_name_index_and_its_trigger_is_back(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL indexes names with a GIN index, without triggers")
    rows = family()
    import_file(engine, write_csv(tmp_path / "h.csv", rows), actor="tester")
    with engine.connect() as connection:
        names = dict(connection.execute(text("SELECT code, name_folded FROM person")).all())
    assert names
    for code, folded in names.items():
        assert code in _matches(engine, folded.split()[-1])
        first, *_, last = folded.split()
        assert code in _pair_matches(engine, f"{first}_{last}")
    # A second import is indexed the same way, and a person added one at a time (as the web
    # form does) by the trigger, re-created as it was.
    later = [*rows, person("P-LATER", rows[0]["household_id"], "Giàng A Páo", "child")]
    import_file(engine, write_csv(tmp_path / "h2.csv", later), actor="tester")
    assert "P-LATER" in _matches(engine, "pao")
    assert "P-LATER" in _pair_matches(engine, "giang_pao")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (code, household_id, full_name, name_folded, relation, "
                "updated_at) SELECT 'P-ONE', household_id, 'Vàng Seo Lử', 'vang seo lu', "
                "'child', updated_at FROM person LIMIT 1"
            )
        )
    assert _matches(engine, "lu") == {"P-ONE"}
    assert _pair_matches(engine, "seo_lu") == {"P-ONE"}
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE person SET name_folded = 'vang seo lung' WHERE code = 'P-ONE'")
        )
    assert _pair_matches(engine, "seo_lu") == set()
    assert _pair_matches(engine, "vang_lung") == {"P-ONE"}
    with engine.connect() as connection:
        triggers = connection.scalar(
            text(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'person_name_%'"
            )
        )
    assert triggers == 6  # insert, delete and update, of the words and of the pairs


@pytest.mark.parametrize("first_import", [False, True])
def test_a_failed_import_leaves_the_trigger_in_place(
    engine: Engine, tmp_path: Path, first_import: bool
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    rows = family()
    if first_import:
        # Then the failing file only adds a member: no household or village is written first.
        import_file(engine, write_csv(tmp_path / "h.csv", rows), actor="tester")
        rows = [*rows, person("P-NEW", rows[0]["household_id"], "Vàng Seo Lử", "child")]
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TEMP TRIGGER fail_person BEFORE INSERT ON person "
                "BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
        )
    with pytest.raises(DBAPIError):
        import_file(engine, write_csv(tmp_path / "h2.csv", rows), actor="tester")
    with engine.connect() as connection:
        triggers = connection.scalar(
            text(
                "SELECT count(*) FROM sqlite_master "
                "WHERE name IN ('person_name_ai', 'person_name_pair_ai')"
            )
        )
    assert triggers == 2


def test_an_import_onto_a_registry_leaves_no_name_pending_on_postgresql(
    engine: Engine, tmp_path: Path
) -> None:
    """GIN indexes keep new entries in a pending list that every search reads whole; an import
    merges those of its people into the indexes before it commits (store/name_index.py)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's word indexes have no pending list")
    rows = family()
    import_file(engine, write_csv(tmp_path / "h.csv", rows), actor="tester")  # a first load
    later = [  # onto the registry: through the live indexes
        *rows,
        person("P-NEW-1", "H-NEW", "Vàng Seo Lử", "head", birth_date="1980-01-01"),
        person("P-NEW-2", "H-NEW", "Lò Thị Mai", "spouse", birth_date="1982-03-04"),
    ]
    import_file(engine, write_csv(tmp_path / "h2.csv", later), actor="tester")
    with engine.begin() as connection:
        left = connection.execute(
            text(
                "SELECT c.relname, gin_clean_pending_list(i.indexrelid) FROM pg_index AS i "
                "JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS a ON a.oid = c.relam "
                "WHERE i.indrelid = CAST('person' AS regclass) AND a.amname = 'gin'"
            )
        ).all()
    assert left and all(pages == 0 for _, pages in left), left

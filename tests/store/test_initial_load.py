"""The first load of an empty registry on PostgreSQL: indexes and keys built after, as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from tests.builders import family, person, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store import initial_load, people_import

_DEFINED = """
    SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid), indisvalid FROM pg_index
    WHERE indrelid IN ('household'::regclass, 'person'::regclass, 'benefit'::regclass)
    UNION ALL
    SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint
    WHERE conrelid IN ('household'::regclass, 'person'::regclass, 'benefit'::regclass)
    ORDER BY 1, 2"""


def defined(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(_DEFINED))]


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's indexes and keys")
    return engine


def test_a_first_load_leaves_the_indexes_and_keys_as_they_were(
    postgres: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = defined(postgres)
    dropped: list[object] = []
    drop = initial_load._drop

    def recording(connection: Connection) -> object:
        found = drop(connection)
        dropped.append(found)
        return found

    monkeypatch.setattr(initial_load, "_drop", recording)
    import_file(postgres, write_csv(tmp_path / "h.csv", family()), actor="tester")
    assert dropped[0] is not None  # the registry was empty: built after
    assert defined(postgres) == before
    with postgres.connect() as connection:
        words = "to_tsvector('simple', name_folded) @@ to_tsquery('simple', 'pao')"
        found = connection.execute(text(f"SELECT code FROM person WHERE {words}")).scalars()
        assert list(found) == ["P1"]
    # Onto households held, the rows go through the indexes.
    more = [person("P9", "H9", "Lò Văn Sáng", "head", ethnicity="Thái")]
    import_file(postgres, write_csv(tmp_path / "more.csv", more), actor="tester")
    assert dropped[1] is None
    assert defined(postgres) == before


def test_a_first_load_that_fails_leaves_the_registry_as_it_was(
    postgres: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = defined(postgres)
    apply = people_import.apply_people

    def failing(*args: object, **kwargs: object) -> None:
        apply(*args, **kwargs)  # type: ignore[arg-type]
        raise InputError.single("h.csv", "hỏng giữa chừng", "broken midway")

    monkeypatch.setattr(people_import, "apply_people", failing)
    with pytest.raises(InputError):
        import_file(postgres, write_csv(tmp_path / "h.csv", family()), actor="tester")
    assert defined(postgres) == before
    with postgres.connect() as connection:
        held = connection.scalar(text("SELECT COUNT(*) FROM person"))
    assert held == 0


def test_a_reader_holding_the_tables_is_not_made_to_wait(
    postgres: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = defined(postgres)
    dropped: list[object] = []
    drop = initial_load._drop
    monkeypatch.setattr(initial_load, "_drop", lambda c: dropped.append(drop(c)) or dropped[-1])
    with postgres.connect() as reader:
        reader.execute(text("SELECT COUNT(*) FROM person"))  # holds the table till it ends
        import_file(postgres, write_csv(tmp_path / "h.csv", family()), actor="tester")
        reader.rollback()
    assert dropped == [None]  # the lock was not to be had: the rows went through the indexes
    assert defined(postgres) == before
    with postgres.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM person")) == 6

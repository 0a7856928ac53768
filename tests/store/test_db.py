"""Opening SQLite: the functions the schema calls, the memory map only where asked for, and
foreign keys unchecked only inside the transactions that ask."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from ansinh.store.db import MMAP_BYTES, make_engine, parents_unchecked, reading


def test_every_connection_has_the_name_pairs_function(tmp_path: Path) -> None:
    engine = make_engine(url=f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as connection:
        pairs = connection.scalar(text("SELECT name_pairs('nguyen van hung')"))
    assert pairs == "nguyen_van nguyen_hung van_hung"


def test_only_the_server_maps_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with make_engine(url=url).connect() as connection:
        assert connection.scalar(text("PRAGMA mmap_size")) == 0
    with make_engine(url=url, memory_map=True).connect() as connection:
        mapped = connection.scalar(text("PRAGMA mmap_size"))
    assert 0 < mapped <= MMAP_BYTES  # SQLite lowers it to its compiled maximum


def _checks_parents(connection: Connection) -> bool:
    return bool(connection.scalar(text("PRAGMA foreign_keys")))


def test_parents_go_unchecked_only_inside_and_are_checked_again_after(tmp_path: Path) -> None:
    engine = make_engine(url=f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE child (parent_id REFERENCES parent (id))")
        connection.commit()
        with parents_unchecked(connection), connection.begin():
            assert not _checks_parents(connection)
        with connection.begin():
            assert _checks_parents(connection)
        with pytest.raises(RuntimeError), parents_unchecked(connection), connection.begin():
            raise RuntimeError("a failed transaction")
        with pytest.raises(IntegrityError), connection.begin():
            connection.exec_driver_sql("INSERT INTO child VALUES (1)")


@pytest.mark.postgres
def test_the_pool_of_postgresql_is_set_by_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import POSTGRES_URL, _postgres_answers

    from ansinh.config import Settings

    if not _postgres_answers():
        pytest.skip("PostgreSQL does not answer")
    monkeypatch.setenv("ANSINH_DB_POOL_SIZE", "7")
    monkeypatch.setenv("ANSINH_DB_MAX_OVERFLOW", "3")
    monkeypatch.setenv("ANSINH_DB_POOL_TIMEOUT", "4.5")
    monkeypatch.setenv("ANSINH_DB_POOL_RECYCLE", "600")
    engine = make_engine(Settings(), url=POSTGRES_URL, pool_size=20)
    pool = engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout, pool._recycle) == (7, 3, 4.5, 600)  # type: ignore[attr-defined]
    with engine.connect() as connection:
        named = connection.scalar(text("SELECT current_setting('application_name')"))
    assert named == "ansinh"
    engine.dispose()


def test_without_the_environment_the_callers_pool_size_holds(tmp_path: Path) -> None:
    from ansinh.config import Settings

    engine = make_engine(Settings(), url=f"sqlite:///{tmp_path / 'a.db'}", pool_size=9)
    assert engine.pool.size() == 9  # type: ignore[attr-defined]


def test_a_page_that_reads_leaves_the_pool_transactional(engine: Engine) -> None:
    """A read outside a transaction on PostgreSQL must not leave its connection so: the next
    writer through the pool would commit each statement and could not roll back."""
    with reading(engine) as connection:
        connection.execute(text("SELECT 1"))
        if connection.dialect.name == "postgresql":
            assert connection.connection.dbapi_connection.autocommit  # type: ignore[union-attr]
    first = "(SELECT min(code) FROM unit)"
    with engine.connect() as connection:
        name = connection.scalar(text(f"SELECT name FROM unit WHERE code = {first}"))
    with pytest.raises(RuntimeError), engine.connect() as connection:
        connection.execute(text(f"UPDATE unit SET name = 'x' WHERE code = {first}"))
        raise RuntimeError("an edit that fails half-way")
    with engine.connect() as connection:
        assert connection.scalar(text(f"SELECT name FROM unit WHERE code = {first}")) == name

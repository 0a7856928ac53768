"""Opening SQLite: the functions the schema calls, the memory map only where asked for, and
foreign keys unchecked only inside the transactions that ask."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from ansinh.store.db import MMAP_BYTES, make_engine, parents_unchecked


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

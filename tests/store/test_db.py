"""Opening SQLite: the functions the schema calls, and the memory map only where asked for."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from ansinh.store.db import MMAP_BYTES, make_engine


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

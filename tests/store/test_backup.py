"""Backup and restore, tested by restoring and comparing every table (trust issue)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, inspect, text, update
from sqlalchemy.exc import OperationalError
from tests.builders import family, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.backup import backup, restore
from ansinh.store.models import Benefit, Person


def fingerprint(engine: Engine) -> dict[str, str]:
    """Each table's rows, in key order, hashed."""
    found = {}
    with engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            try:
                rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            except OperationalError:  # a virtual table (the name index): its shadows count
                connection.rollback()
                continue
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            found[table] = f"{len(rows)}:{digest[:16]}"
    return found


def test_a_restored_backup_is_the_registry_as_it_was(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    before = fingerprint(engine)
    target = tmp_path / "registry.backup"
    backup(engine, target)
    with engine.begin() as connection:  # afterwards: a change, a deletion
        connection.execute(update(Person).values(full_name="Đổi"))
        connection.execute(delete(Benefit))
    assert fingerprint(engine) != before
    restore(engine, target)
    assert fingerprint(engine) == before


def test_a_file_that_is_not_a_backup_is_refused(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "not.backup"
    bad.write_bytes(b"hello")
    before = fingerprint(engine)
    with pytest.raises(InputError):
        restore(engine, bad)
    assert fingerprint(engine) == before

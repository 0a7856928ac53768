"""A reporting role reads the registry and cannot write it, nor read accounts' secrets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError
from tests.builders import family, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.accounts import create_account
from ansinh.store.db_roles import grant_readonly


@pytest.fixture
def role(engine: Engine) -> Iterator[str]:
    """A role name of this test's own (roles belong to the whole server), dropped after."""
    name = f"reports_{uuid.uuid4().hex[:8]}"
    yield name
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}):
                connection.execute(text(f"DROP OWNED BY {name}"))
                connection.execute(text(f"DROP ROLE {name}"))


def test_the_reporting_role_reads_and_never_writes(
    engine: Engine, role: str, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection, pytest.raises(InputError):
            grant_readonly(connection, role, "tester")
        return
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="tester")
    with engine.begin() as connection:
        create_account(connection, "admin", "province_admin", [], "mat-khau-thu-nghiem", "t")
        readable = grant_readonly(connection, role, "tester")
    assert "household" in readable and "account" not in readable
    with engine.connect() as connection:
        connection.execute(text(f"SET ROLE {role}"))
        assert connection.scalar(text("SELECT COUNT(*) FROM household")) == 2
        assert connection.scalar(text("SELECT COUNT(*) FROM audit_log")) > 0
        for statement in (
            "UPDATE household SET address = 'x'",
            "INSERT INTO unit (code, name, level) VALUES ('x', 'x', 'x')",
            "DELETE FROM person",
            "SELECT password_hash FROM account",
            "CREATE TABLE mine (id int)",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"):
                connection.execute(text(statement))
            connection.rollback()
            connection.execute(text(f"SET ROLE {role}"))
    with engine.connect() as connection:
        settings = (
            "SELECT setconfig FROM pg_db_role_setting AS s JOIN pg_roles AS r ON r.oid = s.setrole"
        )
        granted = connection.scalar(text(f"{settings} WHERE rolname = :r"), {"r": role})
    assert "default_transaction_read_only=on" in granted


def test_a_role_name_that_is_not_one_is_refused(engine: Engine) -> None:
    with engine.begin() as connection, pytest.raises(InputError):
        grant_readonly(connection, "x; DROP TABLE person", "tester")

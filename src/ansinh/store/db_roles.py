"""PostgreSQL roles for other readers of the registry: a reporting role that reads, never writes."""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from ansinh.errors import InputError
from ansinh.store.audit import record_change

# What a reporting role never reads: password hashes, sign-in tokens, failed sign-ins.
SECRET_TABLES = ("account", "account_token", "account_unit", "login_failure")
# A report that runs longer is stopped: one report must not hold the server for the others.
REPORT_TIMEOUT = "10min"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_readonly(connection: Connection, role: str, actor: str) -> list[str]:
    """Let `role` read every table of the registry's schema but the secret ones, now and after
    later migrations, in read-only transactions; create the role (without login) if absent.
    Returns the tables it may read. PostgreSQL only: SQLite has no roles."""
    if connection.dialect.name != "postgresql":
        raise InputError.single(
            "--role",
            "Chỉ PostgreSQL có vai trò; với SQLite hãy đọc một bản sao lưu",
            "Only PostgreSQL has roles; with SQLite read a backup copy instead",
        )
    if not _NAME.fullmatch(role):
        raise InputError.single(
            "ROLE",
            "Tên vai trò: chữ thường, số và _ (tối đa 63 ký tự)",
            "A role name is lower-case letters, digits and _ (at most 63)",
        )
    schema = connection.scalar(text("SELECT current_schema()"))
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    if not exists:
        connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    tables = list(
        connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
            {"s": schema},
        )
    )
    readable = [t for t in tables if t not in SECRET_TABLES]
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        *(f"GRANT SELECT ON {schema}.{t} TO {role}" for t in readable),
        *(f"REVOKE ALL ON {schema}.{t} FROM {role}" for t in tables if t in SECRET_TABLES),
        # Tables later migrations add (run by this same owner) are readable too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
        f"ALTER ROLE {role} SET default_transaction_read_only = on",
        f"ALTER ROLE {role} SET statement_timeout = '{REPORT_TIMEOUT}'",
    ]
    for statement in statements:
        connection.execute(text(statement))
    record_change(
        connection,
        actor=actor,
        action="grant",
        entity="db_role",
        key=role,
        after={"schema": schema, "select": readable, "read_only": True},
    )
    return readable

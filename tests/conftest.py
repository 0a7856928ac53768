"""Shared fixtures: a registry on each backend (SQLite by default, PostgreSQL under a marker)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from ansinh.store.db import make_engine
from ansinh.store.schema import prepare

POSTGRES_URL = os.environ.get(
    "ANSINH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# CI sets this so that a PostgreSQL that does not answer fails the run instead of skipping.
REQUIRE_POSTGRES = os.environ.get("ANSINH_REQUIRE_POSTGRES") == "1"
REGISTRY_TABLES = [
    "job",
    "login_failure",
    "account_token",
    "account_unit",
    "account",
    "review_application",
    "review_complaint",
    "review_return",
    "review_stage",
    "exit_plan_measure",
    "exit_plan",
    "fund_entry",
    "housing_support",
    "payment_line",
    "payment_run",
    "inspection_finding_decision",
    "inspection_decision",
    "inspection_finding",
    "inspection_candidate",
    "inspection_run",
    "monitoring_target",
    "monitoring_observation",
    "programme_plan",
    "programme_disbursement",
    "ntm_evaluation",
    "ntm_recognition",
    "programme_project",
    "audit_log",
    "review_summary",
    "review_result",
    "review_run",
    "survey",
    "benefit",
    "person",
    "household",
    "unit_successor",
]


def pytest_report_header(config: pytest.Config) -> str:
    state = (
        "reachable" if _postgres_answers() else "NOT reachable: PostgreSQL tests will be skipped"
    )
    return f"PostgreSQL for tests: {POSTGRES_URL} ({state})"


def _postgres_answers() -> bool:
    try:
        engine = make_engine(url=POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite registry with the official units, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "ansinh.db"
    engine = make_engine(url=f"sqlite:///{path}")
    prepare(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of its own in the test database, migrated once, dropped at the end."""
    if not _postgres_answers():
        message = f"PostgreSQL does not answer at {POSTGRES_URL}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (ANSINH_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    schema = f"ansinh_test_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url=POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    prepare(_postgres_engine(schema))
    yield schema
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _postgres_engine(schema: str) -> Engine:
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    return make_engine(url=url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh registry with the official units and nothing else, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "ansinh.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(url=f"sqlite:///{path}")
    else:
        engine = _postgres_engine(request.getfixturevalue("postgres_schema"))
        _empty_registry(engine)
    yield engine
    engine.dispose()


# The runs' own tables of results (store/review.py): the runs' ids start again at 1.
_RUN_TABLES = """
DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT relname FROM pg_class WHERE relname ~ '^review_result_[0-9]+$'
      AND relnamespace = CAST(current_schema() AS regnamespace) LOOP
    EXECUTE 'DROP TABLE ' || quote_ident(t);
  END LOOP;
END $$"""


def _empty_registry(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(REGISTRY_TABLES)} RESTART IDENTITY CASCADE"))
        connection.execute(text(_RUN_TABLES))
        connection.execute(text("DELETE FROM unit WHERE level = 'village'"))


@pytest.fixture
def both_backends(
    tmp_path: Path, sqlite_template: Path, postgres_schema: str
) -> Iterator[tuple[Engine, Engine]]:
    """A fresh registry on SQLite and one on PostgreSQL, for comparing the two."""
    path = tmp_path / "ansinh.db"
    shutil.copy(sqlite_template, path)
    sqlite = make_engine(url=f"sqlite:///{path}")
    postgres = _postgres_engine(postgres_schema)
    _empty_registry(postgres)
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()

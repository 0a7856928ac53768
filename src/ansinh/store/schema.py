"""Creating and migrating the registry schema with Alembic, then loading the units."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection whose one transaction holds every statement of the migrations run on it.

    Python's sqlite3 begins a transaction only before a data change, so an ALTER TABLE before
    the first one was committed on its own: a migration stopped midway left its columns behind
    with the revision unchanged, and failed on "duplicate column" when run again. PostgreSQL's
    DDL is transactional already.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        yield connection


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`, the newest schema by default (creating it if empty),
    all or nothing."""
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def prepare(engine: Engine) -> int:
    """Migrate to the newest schema and add any official unit not yet held; returns units added."""
    from ansinh.store.units import load_official_units  # units need the schema first

    upgrade(engine)
    with engine.begin() as connection:
        return load_official_units(connection)


def ensure_ready(engine: Engine) -> None:
    if not is_current(engine):
        prepare(engine)

"""Creating and migrating the registry schema with Alembic, then loading the units."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (creating it if empty)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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

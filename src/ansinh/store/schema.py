"""Creating and migrating the registry schema with Alembic, then loading the units."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

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
    all or nothing; then build the late indexes of the revisions it holds."""
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    build_late_indexes(engine, held_late_indexes(engine))


@dataclass(frozen=True)
class LateIndex:
    """An index a migration adds to a big table, built after the migrations' transaction.

    A migration lists them in a module-level `late_indexes`. On PostgreSQL they are built
    CONCURRENTLY, which cannot run in a transaction: a plain CREATE INDEX on a table of 27
    million households would stop every write to it while it builds (docs/decisions.md).
    """

    name: str
    table: str
    columns: tuple[str, ...]
    where: str | None = None
    # An index of one backend only (a GIN index is PostgreSQL's), with its access method.
    dialect: str | None = None
    using: str | None = None

    def sql(self, concurrently: bool) -> str:
        how = "CONCURRENTLY " if concurrently else ""
        where = f" WHERE {self.where}" if self.where else ""
        using = f" USING {self.using}" if self.using else ""
        columns = ", ".join(self.columns)
        return (
            f"CREATE INDEX {how}IF NOT EXISTS {self.name} ON {self.table}{using} ({columns}){where}"
        )


def held_late_indexes(engine: Engine, scripts: ScriptDirectory | None = None) -> list[LateIndex]:
    """The late indexes of every revision the database holds, oldest first."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        return []
    scripts = scripts or ScriptDirectory.from_config(alembic_config())
    held = list(scripts.iterate_revisions(current, "base"))
    return [
        index for script in reversed(held) for index in getattr(script.module, "late_indexes", [])
    ]


def build_late_indexes(engine: Engine, indexes: list[LateIndex]) -> None:
    """Build the indexes not yet built. On PostgreSQL, CONCURRENTLY, in autocommit: writers go
    on meanwhile; a build that was stopped leaves an invalid index, dropped and built again."""
    indexes = [i for i in indexes if i.dialect in (None, engine.dialect.name)]
    if not indexes:
        return
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            for index in indexes:
                connection.execute(text(index.sql(concurrently=False)))
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for index in indexes:
            valid = connection.scalar(
                text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
                {"name": index.name},
            )
            if valid is False:
                connection.execute(text(f"DROP INDEX CONCURRENTLY {index.name}"))
            connection.execute(text(index.sql(concurrently=True)))


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

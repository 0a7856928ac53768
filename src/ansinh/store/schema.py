"""Creating and migrating the registry schema with Alembic, then loading the units."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    build_late_indexes(engine, held_late_indexes(engine), retired_late_indexes(engine))


@dataclass(frozen=True)
class LateIndex:
    """An index a migration adds to a big table, built after the migrations' transaction.

    A migration lists them in a module-level `late_indexes`. On PostgreSQL they are built
    CONCURRENTLY, which cannot run in a transaction: a plain CREATE INDEX on a table of 27
    million households would stop every write to it while it builds (docs/decisions.md).
    An index on a column the migration adds may first need the column filled: `fill` is an
    UPDATE of the rows whose id lies between :first and :last, run a batch of ids at a time,
    each its own transaction, until the index is built (its rows then stay filled by triggers).
    A later migration that replaces an index lists its name in `retired_indexes`: it is no
    longer built, and is dropped once the indexes that replace it are built.
    """

    name: str
    table: str
    columns: tuple[str, ...]
    where: str | None = None
    # An index of one backend only (a GIN index is PostgreSQL's), with its access method.
    dialect: str | None = None
    using: str | None = None
    fill: str | None = None
    unique: bool = False

    def sql(self, concurrently: bool) -> str:
        kind = "UNIQUE INDEX" if self.unique else "INDEX"
        how = "CONCURRENTLY " if concurrently else ""
        where = f" WHERE {self.where}" if self.where else ""
        using = f" USING {self.using}" if self.using else ""
        columns = ", ".join(self.columns)
        return (
            f"CREATE {kind} {how}IF NOT EXISTS {self.name} ON {self.table}{using} ({columns})"
            f"{where}"
        )


# A batch of the rows a late index's `fill` writes: each batch holds its rows' locks for a
# second or two at most, so that an officer's edit of one of them waits no longer.
FILL_BATCH = 50_000


def held_late_indexes(engine: Engine, scripts: ScriptDirectory | None = None) -> list[LateIndex]:
    """The late indexes of every revision the database holds, oldest first, but those a later
    revision retired."""
    modules = _held_modules(engine, scripts)
    retired = {name for module in modules for name in getattr(module, "retired_indexes", ())}
    return [
        index
        for module in modules
        for index in getattr(module, "late_indexes", [])
        if index.name not in retired
    ]


def retired_late_indexes(engine: Engine, scripts: ScriptDirectory | None = None) -> list[str]:
    """The names of the late indexes the revisions held have retired."""
    modules = _held_modules(engine, scripts)
    return [name for module in modules for name in getattr(module, "retired_indexes", ())]


def _held_modules(engine: Engine, scripts: ScriptDirectory | None) -> list[Any]:
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        return []
    scripts = scripts or ScriptDirectory.from_config(alembic_config())
    return [script.module for script in reversed(list(scripts.iterate_revisions(current, "base")))]


def build_late_indexes(
    engine: Engine, indexes: list[LateIndex], retired: Sequence[str] = ()
) -> None:
    """Build the indexes not yet built, then drop the retired ones. On PostgreSQL, CONCURRENTLY,
    in autocommit: writers go on meanwhile; a build that was stopped leaves an invalid index,
    dropped and built again."""
    indexes = [i for i in indexes if i.dialect in (None, engine.dialect.name)]
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            for index in indexes:
                connection.execute(text(index.sql(concurrently=False)))
            for name in retired:
                connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for index in indexes:
            valid = connection.scalar(
                text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
                {"name": index.name},
            )
            if valid is True:  # built (a partitioned table's cannot be built CONCURRENTLY)
                continue
            if valid is False:
                connection.execute(text(f"DROP INDEX CONCURRENTLY {index.name}"))
            if index.fill:
                _fill(connection, index)
            connection.execute(text(index.sql(concurrently=True)))
        for name in retired:
            connection.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {name}"))


def _fill(connection: Connection, index: LateIndex) -> None:
    """Run the index's fill over its table's ids, a batch at a time, each committed."""
    assert index.fill is not None
    low, high = connection.execute(text(f"SELECT min(id), max(id) FROM {index.table}")).one()
    if low is None:
        return
    for first in range(low, high + 1, FILL_BATCH):
        connection.execute(text(index.fill), {"first": first, "last": first + FILL_BATCH - 1})


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

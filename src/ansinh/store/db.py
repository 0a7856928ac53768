"""Opening the registry database: SQLite by default (WAL), PostgreSQL by ANSINH_DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from ansinh.config import Settings, get_settings
from ansinh.domain.names import word_pairs

# The web server reads pages through a memory map instead of copying them with read(): its
# searches and pages read a few pages each, scattered over gigabytes. SQLite caps this at its
# own compiled maximum. Batch commands do not: the pages they map would count in their memory
# (RSS), though the kernel can take them back.
MMAP_BYTES = 16 * 2**30


def register_functions(dbapi_connection: Any) -> None:
    """SQL functions An Sinh's SQLite schema calls: the name-pair index's triggers (migration
    0008) call name_pairs, so every connection that writes people must have it."""
    dbapi_connection.create_function("name_pairs", 1, word_pairs, deterministic=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    register_functions(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _memory_map(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")


WRITE_WAIT = 60.0
# The officers' edits of people wait in the name indexes' pending list, which every search reads
# whole (store/name_index.py), until it passes this: at PostgreSQL's 4 MB a day of edits could
# leave 500 pages for each search to read; 256 kB is 32. Batch jobs set their own (store/batch.py).
PENDING_LIST = "256kB"


def make_engine(
    settings: Settings | None = None,
    url: str | None = None,
    pool_size: int | None = None,
    memory_map: bool = False,
) -> Engine:
    """An engine for the configured database; creates the SQLite file's folder if needed.

    `memory_map`: SQLite reads the file through a memory map (MMAP_BYTES), for the server.

    `pool_size`: connections kept open (SQLAlchemy's default is 5). A server that lets more
    requests use the database at once should keep as many: a SQLite connection opened anew
    starts with an empty page cache, and the first queries on it cost several times more.
    ANSINH_DB_POOL_SIZE overrides it; on PostgreSQL ANSINH_DB_MAX_OVERFLOW, _POOL_TIMEOUT and
    _POOL_RECYCLE set the rest of the pool (config.Settings)."""
    settings = settings or get_settings()
    url = url or settings.database_url
    pool_size = settings.db_pool_size or pool_size
    pooling = {} if pool_size is None else {"pool_size": pool_size}
    if url.startswith("sqlite"):
        path = Settings(database_url=url).sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # A writer waits up to WRITE_WAIT for another to finish (Python's default, 5 s, is less
        # than a review of the demo province holds the file: the soak's edits failed then).
        engine = create_engine(url, connect_args={"timeout": WRITE_WAIT}, **pooling)
        event.listen(engine, "connect", _sqlite_pragmas)
        if memory_map:
            event.listen(engine, "connect", _memory_map)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(
        url,
        pool_pre_ping=True,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        # Named in pg_stat_activity, so that a DBA sees which sessions are An Sinh's.
        connect_args={"application_name": "ansinh"},
        **pooling,
    )
    event.listen(engine, "connect", _short_pending_list)
    return engine


def _short_pending_list(dbapi_connection: Any, _: object) -> None:
    """Set on each new connection, outside any transaction (one rolled back would undo it)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET gin_pending_list_limit = '{PENDING_LIST}'")
    dbapi_connection.autocommit = autocommit


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that reads, then writes what it read, without colliding with another.

    On SQLite it takes the write lock as it begins (BEGIN IMMEDIATE), waiting for another
    writer to finish: begun deferred, a transaction that had read before another committed
    could not write at all ("database is locked" at once: its snapshot was stale). The soak
    found two officers' edits of different households failing so (bench/soak.py).
    """
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for a page that only reads.

    On PostgreSQL its statements run outside a transaction: under READ COMMITTED each one reads
    a snapshot of its own anyway, and a cached page then costs no BEGIN and no ROLLBACK, two of
    its five round trips to the server. Nothing written through it could be rolled back: only
    pages that never write use it. On SQLite it is a connection like any other.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


@contextmanager
def parents_unchecked(connection: Connection) -> Iterator[None]:
    """SQLite checks no foreign key in the transactions begun inside, then checks again.

    For a transaction whose rows are read from their parents in the statements that write
    them: the review's million results cost SQLite three parent lookups each (1–2 s). SQLite
    ignores the pragma inside a transaction, so this must wrap `connection.begin()`.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    _foreign_keys(connection, "OFF")
    try:
        yield
    finally:
        _foreign_keys(connection, "ON")


def _foreign_keys(connection: Connection, state: str) -> None:
    connection.exec_driver_sql(f"PRAGMA foreign_keys={state}")
    connection.commit()

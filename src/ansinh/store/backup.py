"""A copy of the whole registry in one file, and the registry made that copy again: SQLite's
online backup (the database stays in use), pg_dump and pg_restore on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, text

from ansinh.errors import InputError
from ansinh.io.files import atomic_output

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def backup(engine: Engine, target: Path) -> None:
    """Write the registry to `target` whole, or leave nothing there."""
    with atomic_output(target) as tmp:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_file(engine), tmp)
        else:
            _postgres(engine, "pg_dump", "--format=custom", f"--file={tmp}", *_schema(engine))


def restore(engine: Engine, source: Path) -> None:
    """Make the registry what the backup `source` holds; refuse a file that is not one."""
    if not source.is_file():
        raise InputError.single(str(source), "Không tìm thấy tệp", "File not found")
    with source.open("rb") as file:
        head = file.read(16)
    engine.dispose()  # no connection of ours holds the database while it is replaced
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise _not_a_backup(source, "SQLite")
        _sqlite_copy(source, _sqlite_file(engine))
    else:
        if not head.startswith(PG_MAGIC):
            raise _not_a_backup(source, "pg_dump --format=custom")
        _postgres(
            engine, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            f"--dbname={engine.url.database}", *_schema(engine), str(source),
        )  # fmt: skip


def _not_a_backup(source: Path, kind: str) -> InputError:
    return InputError.single(
        str(source),
        f"Không phải bản sao lưu của cơ sở dữ liệu này ({kind})",
        f"Not a backup of this kind of database ({kind})",
    )


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise InputError.single("ANSINH_DATABASE_URL", "Cần một tệp SQLite", "Needs a SQLite file")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup, page by page, while others may read and write the source."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing, pages=4096)
    writing.close()
    reading.close()


def _schema(engine: Engine) -> list[str]:
    """The schema the registry lives in, when it is not `public` (the tests' own schemas)."""
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
    return [f"--schema={schema}"] if schema and schema != "public" else []


def _postgres(engine: Engine, program: str, *args: str) -> None:
    """Run a PostgreSQL client on the registry's database; its password only in its environment."""
    if shutil.which(program) is None:
        raise InputError.single(
            program,
            f"Cần cài {program} (postgresql-client)",
            f"{program} is needed (postgresql-client)",
        )
    url = engine.url
    environment = os.environ | {
        "PGHOST": url.host or "", "PGPORT": str(url.port or 5432), "PGUSER": url.username or "",
        "PGDATABASE": url.database or "", "PGPASSWORD": url.password or "",
    }  # fmt: skip
    done = subprocess.run(
        [program, *args], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise InputError.single(
            program,
            f"{program} dừng với mã {done.returncode}: {done.stderr.strip()[:500]}",
            f"{program} stopped with status {done.returncode}: {done.stderr.strip()[:500]}",
        )

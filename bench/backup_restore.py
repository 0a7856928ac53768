"""The backup and the restore of a whole PostgreSQL registry, timed, as on a new server.

    python bench/backup_restore.py --url postgresql+psycopg://HOST/DB --file DUMP [--keep]

Counts the rows of the registry's tables, backs it up with `ansinh backup` (pg_dump, custom
format, while the registry stays in use), then drops the database and creates it empty (a new
server, and no second copy on this disk), restores it with `ansinh restore --yes` (pg_restore in
one transaction) and counts again: every table must hold what it held. Prints each step's time,
the dump's size and the database's. The dump is removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from ansinh.store.db import make_engine

TABLES = ("household", "person", "benefit", "survey", "review_result", "audit_log", "unit")


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url=url)
    with engine.connect() as connection:
        held = {t: int(connection.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in TABLES}
        held["bytes"] = int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    engine.dispose()
    return held


def ansinh(url: str, *args: str) -> float:
    started = time.perf_counter()
    environment = os.environ | {"ANSINH_DATABASE_URL": url}
    command = [sys.executable, "-m", "ansinh", *args]
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def recreate(url: str) -> None:
    """Drop the database and create it empty, from the server's maintenance database."""
    name = make_url(url).database
    maintenance = make_engine(url=make_url(url).set(database="postgres").render_as_string(False))
    with maintenance.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    maintenance.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--keep", action="store_true", help="keep the dump")
    options = parser.parse_args()
    before = counts(options.url)
    print(f"load average {Path('/proc/loadavg').read_text().strip()}", flush=True)
    print(f"held: {before}", flush=True)
    seconds = ansinh(options.url, "backup", str(options.file))
    size = options.file.stat().st_size
    print(f"backup   {seconds:8.1f} s  dump {size / 2**30:.2f} GiB", flush=True)
    recreate(options.url)
    seconds = ansinh(options.url, "restore", "--yes", str(options.file))
    after = counts(options.url)
    print(f"restore  {seconds:8.1f} s  database {after['bytes'] / 2**30:.1f} GiB", flush=True)
    same = all(after[t] == before[t] for t in TABLES)
    print(f"every table as it was: {'yes' if same else 'NO'}; {after}")
    print(f"load average at the end {Path('/proc/loadavg').read_text().strip()}")
    if not options.keep:
        options.file.unlink()
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()

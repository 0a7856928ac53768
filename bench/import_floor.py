"""How close a first load of people on PostgreSQL can come to 20 s per million, part by part.

    python bench/import_floor.py --url postgresql+psycopg://HOST/DB --file households.csv \\
        [--rounds 2]

The database is emptied and prepared before each run; the runs alternate, each in a process
of its own, in three ways:

- as it runs: `ansinh import` of the file into an empty registry;
- audit indexes after: the audit log's secondary indexes dropped before the import and built
  again after it, timed with it (a measure of their upkeep per row, not a way to run: the drop
  would lock the log against every reader for the whole import);
- no audit: the import with its audit entries counted but not written (a floor, not a way to
  run: every change must be audited).

Beside the wall time, the CPU seconds of the importing process and of the server's processes
(read from /proc: the server must be on this machine): on two cores, no overlap of the two can
bring an import below the larger of them, nor below half their sum.

Make the file with `ansinh synth --province 15 --households 250000 --out DIR` (its
`households.csv`). The database's tables are dropped: use one of its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import time
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import text


class Run(NamedTuple):
    rows: int
    imported: float
    built: float
    client_cpu: float
    server_cpu: float
    peak_mib: float


WAYS = ("as it runs", "audit indexes after", "no audit")
# The modules that write an import's audit entries, each holding its own name for the writer.
_AUDITING = ("ansinh.store.people_import", "ansinh.store.benefit_lists")
_AUDIT_INDEXES = """
    SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'audit_log'::regclass AND NOT i.indisprimary
"""


def _empty(url: str) -> None:
    from ansinh.store.db import make_engine
    from ansinh.store.schema import prepare

    engine = make_engine(url=url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    prepare(make_engine(url=url))


def _no_audit() -> None:
    """Every import's audit writer replaced by one that only counts."""
    import importlib

    def counted(connection: Any, **arguments: Any) -> int:
        return int(arguments["changes"].height)

    for name in _AUDITING:
        importlib.import_module(name).record_changes = counted  # type: ignore[attr-defined]


def _server_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL process on this machine, by process id."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ", 1)
        except OSError:
            continue  # the process ended
        if fields[0].endswith("(postgres"):
            rest = fields[1].split()
            found[int(stat.parent.name)] = (int(rest[11]) + int(rest[12])) / ticks
    return found


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_since(before: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _server_cpu().items())


def _run(url: str, file: Path, way: str, queue: Any) -> None:
    from ansinh.io.importer import import_file
    from ansinh.store.db import make_engine

    engine = make_engine(url=url)
    if way == "no audit":
        _no_audit()
    dropped: list[str] = []
    if way == "audit indexes after":
        with engine.begin() as connection:
            for name, definition in connection.execute(text(_AUDIT_INDEXES)).all():
                dropped.append(definition)
                connection.exec_driver_sql(f"DROP INDEX {name}")
    server, client = _server_cpu(), _own_cpu()
    started = time.perf_counter()
    result = import_file(engine, file, actor="bench")
    imported = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for definition in dropped:
            connection.exec_driver_sql(definition)
    built = time.perf_counter() - started - imported
    server_cpu = _cpu_since(server)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(Run(result.rows, imported, built, _own_cpu() - client, server_cpu, peak))


def _timed(url: str, file: Path, way: str) -> Run:
    _empty(url)
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(url, file, way, queue))
    process.start()
    found = queue.get()
    process.join()
    return found  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(
        f"{'way':<22}{'import s':>10}{'indexes s':>11}{'s per million':>15}"
        f"{'client CPU s':>14}{'server CPU s':>14}{'peak MiB':>10}"
    )
    for _ in range(args.rounds):
        for way in WAYS:
            run = _timed(args.url, args.file, way)
            per_million = (run.imported + run.built) * 1e6 / run.rows
            print(
                f"{way:<22}{run.imported:>10.1f}{run.built:>11.1f}{per_million:>15.1f}"
                f"{run.client_cpu:>14.1f}{run.server_cpu:>14.1f}{run.peak_mib:>10.0f}"
            )


if __name__ == "__main__":
    main()

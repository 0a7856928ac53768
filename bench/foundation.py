"""The foundation benchmark: synth, import, review and report of a whole province, timed.

Each stage runs in a process of its own, so that its peak memory is its own. Run with
`make bench` or `python bench/foundation.py --households 1000000`; with `--postgres URL` the
registry is that PostgreSQL database instead of a SQLite file (its tables are dropped first).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

from sqlalchemy import func, select

# Targets of issue 2: the review of 1,000,000 households in 10 s; 1,000,000 people imported in
# 60 s (the import stage holds every member of every household, so it is scaled per million).
TARGETS = {"import people": 60.0, "review": 10.0}
PER_MILLION = {"import people"}
STAGES = ("synth", "init", "import people", "import surveys", "review", "report")


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mib: float
    detail: str
    rows: int = 0

    def seconds_for_target(self) -> float:
        if self.name in PER_MILLION and self.rows:
            return self.seconds * 1_000_000 / self.rows
        return self.seconds


def _empty_postgres(url: str) -> None:
    """Drop every table of the database: each run starts from an empty registry."""
    from sqlalchemy import text

    from ansinh.store.db import make_engine

    with make_engine(url=url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def _synth(work: Path, households: int, seed: int) -> str:
    from ansinh.synth import generate_province, write_province

    province = generate_province("15", households, seed)
    write_province(province, work)
    return f"{province.people.height:,} people, {province.surveys.height:,} questionnaires"


def _import(url: str, work: Path, name: str) -> tuple[str, int]:
    from ansinh.io.importer import import_file
    from ansinh.store.db import make_engine

    engine = make_engine(url=url)
    result = import_file(engine, work / name, actor="bench")
    return f"{result.rows:,} rows", result.rows


def _prepare(url: str) -> str:
    from ansinh.store.db import make_engine
    from ansinh.store.schema import prepare

    added = prepare(make_engine(url=url))
    return f"{added:,} units"


def _review(url: str, year: int) -> str:
    from datetime import date

    from ansinh.domain.poverty import standard_in_force
    from ansinh.store.db import make_engine
    from ansinh.store.review import run_review

    engine = make_engine(url=url)
    done = run_review(engine, year, standard_in_force(date(year, 12, 14)), "bench")
    return f"{done.households:,} households, {done.summary.height:,} summary rows"


def _report(url: str) -> str:
    from ansinh.store.db import make_engine
    from ansinh.store.models import Person
    from ansinh.store.reports import poverty_report
    from ansinh.store.review import current_run

    engine = make_engine(url=url)
    with engine.connect() as connection:
        run = current_run(connection, None, None)
        assert run is not None
        report = poverty_report(connection, run, "15", "commune")
        people = connection.execute(select(func.count()).select_from(Person)).scalar_one()
    return f"{report.rows.height:,} units; {people:,} people in the registry"


def _child(target: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    started = time.perf_counter()
    result = target(*args)
    detail, rows = result if isinstance(result, tuple) else (result, 0)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, detail, rows))


def run_stage(name: str, target: Callable[..., Any], *args: Any) -> Stage:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
    process.start()
    while True:  # a stage that dies (its error printed) says so instead of waiting forever
        try:
            seconds, peak, detail, rows = queue.get(timeout=1)
            break
        except Empty:
            if not process.is_alive():
                raise SystemExit(f"stage {name} failed") from None
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"stage {name} failed")
    stage = Stage(name, seconds, peak, detail, rows)
    print(f"{name:<16} {seconds:8.1f} s {peak:8.0f} MiB  {detail}", flush=True)
    return stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--work", type=Path, default=None, help="keep files here")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (emptied first)")
    parser.add_argument(
        "--skip-synth", action="store_true", help="reuse the files already in --work"
    )
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help="the stages to run, e.g. 'import surveys,review,report' to go on from a run "
        "stopped after its people (the registry is emptied only when 'init' is among them)",
    )
    options = parser.parse_args()
    chosen = [name.strip() for name in options.stages.split(",")]
    if unknown := [name for name in chosen if name not in STAGES]:
        raise SystemExit(f"unknown stages {unknown}; the stages are {list(STAGES)}")
    if options.skip_synth and "synth" in chosen:
        chosen.remove("synth")
    work = options.work or Path(tempfile.mkdtemp(prefix="ansinh-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    url = options.postgres or f"sqlite:///{work / 'ansinh.db'}"
    if "init" in chosen:  # the registry of this backend only: the other's may share --work
        if options.postgres:
            _empty_postgres(options.postgres)
        else:
            (work / "ansinh.db").unlink(missing_ok=True)
    print(f"{platform.node()}: {mp.cpu_count()} cores, Python {platform.python_version()}")
    backend = "PostgreSQL" if options.postgres else "SQLite"
    print(f"province 15, {options.households:,} households, seed {options.seed}, in {work}")
    print(f"{backend}; load average {Path('/proc/loadavg').read_text().strip()}")
    arguments = {
        "synth": (_synth, work, options.households, options.seed),
        "init": (_prepare, url),
        "import people": (_import, url, work, "households.csv"),
        "import surveys": (_import, url, work, "surveys.csv"),
        "review": (_review, url, options.year),
        "report": (_report, url),
    }
    stages = [run_stage(name, *arguments[name]) for name in STAGES if name in chosen]
    for stage in stages:
        if stage.name in TARGETS:
            seconds = stage.seconds_for_target()
            verdict = "met" if seconds <= TARGETS[stage.name] else "MISSED"
            scope = " per 1,000,000 rows" if stage.name in PER_MILLION else ""
            print(
                f"target {stage.name}: ≤ {TARGETS[stage.name]:.0f} s{scope}: "
                f"{seconds:.1f} s, {verdict}"
            )
    print(f"load average at the end {Path('/proc/loadavg').read_text().strip()}")
    peak = max(stage.peak_mib for stage in stages)
    print(
        f"peak memory of any stage: {peak:,.0f} MiB (target < 4096): "
        f"{'met' if peak < 4096 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()

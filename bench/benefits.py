"""The benefits benchmark: the monthly entitlements and payroll of N beneficiaries, timed.

A registry of N people, each with one decided benefit (social assistance or meritorious, with
injury rates), is written straight into a fresh database; then, each in a process of its own so
that its peak memory is its own:
  - the engine alone: every beneficiary's amount for one month, from the claims in memory;
  - the payroll: every commune's run for that month prepared from the registry (read, compute,
    write the runs and lines, audit).
Run: `python bench/benefits.py --beneficiaries 1000000 [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

TARGET_SECONDS = 10.0
TARGET_MIB = 2048
MONTH = date(2026, 12, 1)
CATEGORIES = [  # programme, category, share, needs an injury rate, birth years
    ("social_assistance", "elderly_80", 0.35, False, (1925, 1945)),
    ("social_assistance", "disabled", 0.20, False, (1950, 2010)),
    ("social_assistance", "disabled_severe", 0.05, False, (1950, 2010)),
    ("meritorious", "war_invalid", 0.15, True, (1940, 1960)),
    ("meritorious", "martyr_relative", 0.15, False, (1930, 1960)),
    ("meritorious", "sick_soldier", 0.05, True, (1940, 1960)),
    ("meritorious", "agent_orange", 0.05, True, (1940, 1960)),
]


def _registry(url: str, size: int) -> str:
    """N people in households of two, one benefit each, spread over province 15's communes."""
    import numpy as np
    import polars as pl
    from sqlalchemy import select

    from ansinh.store import frames
    from ansinh.store.db import make_engine
    from ansinh.store.models import Benefit, Household, Person, Unit
    from ansinh.store.schema import prepare
    from ansinh.store.statistics import refresh_statistics

    engine = make_engine(url=url)
    prepare(engine)
    rng = np.random.default_rng(7)
    with engine.begin() as connection:
        communes = list(
            connection.scalars(
                select(Unit.code).where(Unit.parent_code == "15", Unit.level == "commune")
            )
        )
        homes = (size + 1) // 2
        stamp = pl.lit(MONTH).cast(pl.Datetime)
        households = pl.DataFrame(
            {
                "id": np.arange(1, homes + 1),
                "code": pl.Series(np.arange(1, homes + 1)).cast(pl.String).str.zfill(8),
                "commune_code": pl.Series(communes).gather(rng.integers(0, len(communes), homes)),
            }
        ).with_columns(stamp.alias("updated_at"))
        frames.insert_frame(connection, Household.__table__, households)  # type: ignore[arg-type]
        picks = rng.choice(len(CATEGORIES), size, p=[c[2] for c in CATEGORIES])
        low = np.array([c[4][0] for c in CATEGORIES])[picks]
        high = np.array([c[4][1] for c in CATEGORIES])[picks]
        years = (low + rng.random(size) * (high - low)).astype(np.int64)
        months = rng.integers(1, 13, size)
        people = pl.DataFrame(
            {
                "id": np.arange(1, size + 1),
                "household_id": np.arange(size) // 2 + 1,
                "year": years,
                "month": months,
                "relation": pl.Series(["head", "spouse"]).gather(np.arange(size) % 2),
            }
        ).select(
            "id",
            ("B" + pl.col("id").cast(pl.String).str.zfill(8)).alias("code"),
            "household_id",
            pl.lit("Nguyễn Văn An").alias("full_name"),
            pl.lit("nguyen van an").alias("name_folded"),
            pl.format("{}-{}-15", "year", pl.col("month").cast(pl.String).str.zfill(2)).alias(
                "birth_date"
            ),
            "relation",
            stamp.alias("updated_at"),
        )
        frames.insert_frame(connection, Person.__table__, people)  # type: ignore[arg-type]
        rated = np.array([c[3] for c in CATEGORIES])[picks]
        rates = np.where(rated, rng.integers(41, 101, size), 0)
        benefits = pl.DataFrame(
            {
                "person_id": np.arange(1, size + 1),
                "programme": pl.Series([c[0] for c in CATEGORIES]).gather(picks),
                "category": pl.Series([c[1] for c in CATEGORIES]).gather(picks),
                "injury_rate": pl.Series(rates).replace(0, None),
            }
        ).with_columns(
            pl.lit("1/QĐ").alias("decision_no"),
            pl.lit(date(2024, 1, 10)).alias("decision_date"),
            pl.lit(date(2024, 1, 1)).alias("start_month"),
        )
        frames.insert_frame(connection, Benefit.__table__, benefits)  # type: ignore[arg-type]
        # As the imports of people and of decisions do after a load this size (PostgreSQL).
        refresh_statistics(connection, ["household", "person", "benefit"])
    engine.dispose()
    return f"{homes:,} households, {size:,} people, {len(communes)} communes"


def _engine_only(url: str) -> str:
    from ansinh.domain.benefits.entitlements import entitlements
    from ansinh.domain.benefits.loader import shipped_rules
    from ansinh.store.db import make_engine
    from ansinh.store.payroll import decided_benefits
    from ansinh.store.scope import scope_for
    from ansinh.workflows.payroll import claim_windows

    engine = make_engine(url=url)
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, ("15",)).communes or ())
        claims = claim_windows(decided_benefits(connection, communes, MONTH), {}, MONTH)
    started = time.perf_counter()
    due = entitlements(claims, shipped_rules(), MONTH, MONTH)
    seconds = time.perf_counter() - started
    return f"{due.height:,} amounts, {int(due['amount'].sum()):,} VND in {seconds:.2f} s of compute"


def _payroll(url: str) -> str:
    from ansinh.store.db import make_engine
    from ansinh.store.scope import scope_for
    from ansinh.workflows.payroll import prepare

    engine = make_engine(url=url)
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, ("15",)).communes or ())
    prepared = prepare(engine, MONTH, communes, "bench")
    lines = int(prepared.runs["lines"].sum() or 0)
    return f"{prepared.runs.height} runs, {lines:,} lines, {prepared.total_vnd:,} VND"


def _stage(target: Any, args: tuple[Any, ...], queue: Any) -> None:
    started = time.perf_counter()
    detail = target(*args)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, detail))


def run(name: str, target: Any, *args: Any) -> tuple[float, float]:
    queue: Any = mp.get_context("spawn").Queue()
    process = mp.get_context("spawn").Process(target=_stage, args=(target, args, queue))
    process.start()
    process.join()
    if process.exitcode != 0 or queue.empty():
        raise SystemExit(f"{name}: the stage failed (exit {process.exitcode})")
    seconds, peak, detail = queue.get()
    print(f"{name:<16} {seconds:8.2f} s  peak {peak:7.0f} MiB  {detail}", flush=True)
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (its tables are replaced)")
    options = parser.parse_args()
    print(
        f"{platform.node()}: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {options.beneficiaries:,} beneficiaries",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as work:
        url = options.postgres or f"sqlite:///{Path(work) / 'ansinh.db'}"
        if options.postgres:
            _empty_postgres(url)
        run("registry", _registry, url, options.beneficiaries)
        run("engine", _engine_only, url)
        seconds, peak = run("payroll", _payroll, url)
    verdict = "met" if seconds <= TARGET_SECONDS and peak < TARGET_MIB else "MISSED"
    print(f"target: payroll ≤ {TARGET_SECONDS:.0f} s and < {TARGET_MIB} MiB: {verdict}")


def _empty_postgres(url: str) -> None:
    from sqlalchemy import text

    from ansinh.store.db import make_engine

    engine = make_engine(url=url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main()

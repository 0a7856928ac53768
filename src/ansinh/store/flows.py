"""Reading two years of stored review results (and who was on a list before) for the flows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.poverty import STATUSES
from ansinh.domain.poverty.flows import FLOW_KEYS, NEAR_POOR, PEOPLE, POOR, flows_by_unit
from ansinh.store import frames
from ansinh.store.models import ReviewRun, Unit
from ansinh.store.review import RunInfo
from ansinh.store.units import closure_frame

_PLACES = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUSES, 1))
_RESULT: dict[str, frames.Column] = {
    "household_id": frames.Small("household_id", 31),
    "unit_code": ("commune_code", pl.String()),
    "status": frames.Small(f"CASE status {_PLACES} ELSE 0 END", 3, True),
    # The household's members as the review held them (store.household_facts at the review).
    "members": frames.Small("members", 15),
}


def current_runs(connection: Connection, years: Sequence[int]) -> list[RunInfo]:
    """Every current run of the years (what-ifs included: the caller picks by standard)."""
    runs = ReviewRun.__table__
    rows = connection.execute(
        select(runs.c.id, runs.c.year, runs.c.standard_id, runs.c.provisional, runs.c.households)
        .where(runs.c.current.is_(True), runs.c.year.in_(list(years)))
        .order_by(runs.c.year, runs.c.id)
    ).all()
    return [RunInfo(*row) for row in rows]


def reviewed_years(connection: Connection) -> list[int]:
    query = select(ReviewRun.year).where(ReviewRun.current.is_(True)).distinct()
    return sorted(int(year) for year in connection.scalars(query))


def _statuses(connection: Connection, run_id: int) -> pl.DataFrame:
    found = frames.read_columns(
        connection, _RESULT, "FROM review_result WHERE run_id = :run", {"run": run_id}
    )
    names = pl.Series([None, *STATUSES], dtype=pl.String)
    return found.with_columns(pl.col("status").map_batches(lambda codes: names.gather(codes)))


def _earlier_lists(connection: Connection, run_ids: Sequence[int]) -> pl.DataFrame:
    """household_id, earlier_poor, earlier_near_poor: the households on either list in a run."""
    schema = {"household_id": pl.Int64, "earlier_poor": pl.Boolean, "earlier_near_poor": pl.Boolean}
    if not run_ids:
        return pl.DataFrame(schema=schema)
    listed = ", ".join(str(int(run)) for run in run_ids)
    source = (
        f"FROM review_result WHERE run_id IN ({listed}) AND status IN ('{POOR}', '{NEAR_POOR}')"
    )
    columns: dict[str, frames.Column] = {
        "household_id": frames.Small("household_id", 31),
        "poor": frames.Small(f"CASE status WHEN '{POOR}' THEN 1 ELSE 0 END", 1, True),
    }
    found = frames.read_columns(connection, columns, source, {})
    return found.group_by("household_id").agg(
        (pl.col("poor") == 1).any().alias("earlier_poor"),
        (pl.col("poor") == 0).any().alias("earlier_near_poor"),
    )


def flow_years(
    connection: Connection, now: int, before: int | None, earlier: Sequence[int]
) -> pl.DataFrame:
    """unit_code, now, before, earlier_poor, earlier_near_poor, members: one row per household
    with a result in either year.

    A household is placed in its commune of this year's result, or of last year's if it has
    none this year; its members are this year's result's, or last year's if it has none this
    year (the people the movement forms count). Whole columns: three reads and a join, no row
    loop.
    """
    this = _statuses(connection, now)
    last = _statuses(connection, before) if before is not None else pl.DataFrame(schema=this.schema)
    joined = this.join(last, on="household_id", how="full", coalesce=True, suffix="_before")
    return joined.join(_earlier_lists(connection, earlier), on="household_id", how="left").select(
        pl.coalesce("unit_code", "unit_code_before").alias("unit_code"),
        pl.col("status").alias("now"),
        pl.col("status_before").alias("before"),
        pl.col("earlier_poor").fill_null(False),
        pl.col("earlier_near_poor").fill_null(False),
        pl.coalesce("members", "members_before").alias("members"),
    )


@dataclass(frozen=True)
class FlowsReport:
    year: int
    now: RunInfo
    before: RunInfo | None
    earlier_years: tuple[int, ...]
    unit_code: str
    level: str
    # unit_code, unit_name, level, one column per flow (households) and per flow + PEOPLE
    # (their members); the unit itself last
    rows: pl.DataFrame


def flows_report(
    connection: Connection,
    now: RunInfo,
    before: RunInfo | None,
    earlier: Sequence[RunInfo],
    unit_code: str,
    level: str,
) -> FlowsReport:
    """The flows of the units at `level` under `unit_code`, then the unit's own total."""
    closure = closure_frame(connection)
    years = flow_years(connection, now.id, before.id if before else None, [r.id for r in earlier])
    summed = flows_by_unit(years, closure)
    below = closure.filter(pl.col("ancestor_code") == unit_code)["unit_code"]
    wanted = summed.filter(
        (pl.col("unit_code") == unit_code)
        | (pl.col("unit_code").is_in(below.implode()) & (pl.col("level") == level))
    )
    names = dict(
        connection.execute(
            select(Unit.code, Unit.name).where(Unit.code.in_(wanted["unit_code"].to_list()))
        ).all()
    )
    rows = (
        wanted.with_columns(
            pl.col("unit_code").replace_strict(names, default="").alias("unit_name"),
            (pl.col("unit_code") == unit_code).alias("_total"),
        )
        .sort("_total", "unit_code")
        .select("unit_code", "unit_name", "level", *FLOW_KEYS, *(k + PEOPLE for k in FLOW_KEYS))
    )
    earlier_years = tuple(sorted({r.year for r in earlier}))
    return FlowsReport(now.year, now, before, earlier_years, unit_code, level, rows)

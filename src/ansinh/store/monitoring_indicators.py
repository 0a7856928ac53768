"""Indicators the registry computes for monitoring targets, from each year's review."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.monitoring.catalog import TargetSet
from ansinh.domain.monitoring.targets import Observation
from ansinh.store import frames
from ansinh.store.models import ReviewRun, ReviewSummary

# Indicators the registry computes from the yearly review (store/review.py), as percentages or
# counts: (group_kind, group_value, formula over the summary's columns).
_SHARE_ABOVE = (
    pl.col("households") - pl.col("poor_households") - pl.col("near_poor_households")
) / pl.col("households")
INDICATORS: dict[str, tuple[str, str, pl.Expr]] = {
    "poverty_rate": ("all", "all", pl.col("poor_households") / pl.col("households") * 100),
    "near_poor_rate": ("all", "all", pl.col("near_poor_households") / pl.col("households") * 100),
    "ethnic_minority_poverty_rate": (
        "ethnic_minority",
        "minority",
        pl.col("poor_households") / pl.col("households") * 100,
    ),
    "meritorious_poor_households": (
        "meritorious",
        "with_meritorious",
        pl.col("poor_households").cast(pl.Float64),
    ),
    # At or above the average living standard: neither poor nor near-poor (Decree 07/2021, art. 3).
    "meritorious_average_share": ("meritorious", "with_meritorious", _SHARE_ABOVE * 100),
}


def registry_indicators(connection: Connection) -> pl.DataFrame:
    """`indicator`, `unit_code`, `year`, `value` from every year's current review run."""
    summary, runs = ReviewSummary.__table__, ReviewRun.__table__
    columns = ["households", "poor_households", "near_poor_households"]
    query = (
        select(
            runs.c.year,
            summary.c.unit_code,
            summary.c.group_kind,
            summary.c.group_value,
            *(summary.c[c] for c in columns),
        )
        .join(runs, runs.c.id == summary.c.run_id)
        .where(runs.c.current.is_(True), summary.c.households > 0)
    )
    schema = {"year": pl.Int32, "unit_code": pl.String, "group_kind": pl.String}
    schema |= {"group_value": pl.String} | {c: pl.Int64 for c in columns}
    found = frames.read_frame(connection, query, schema)
    parts = [
        found.filter((pl.col("group_kind") == kind) & (pl.col("group_value") == value)).select(
            pl.lit(name).alias("indicator"), "unit_code", "year", formula.round(4).alias("value")
        )
        for name, (kind, value, formula) in INDICATORS.items()
    ]
    return pl.concat(parts).sort("indicator", "unit_code", "year")


def registry_observations(connection: Connection, target_set: TargetSet) -> list[Observation]:
    """Observations of a target set's targets that name a registry indicator."""
    computed = registry_indicators(connection)
    wanted = pl.DataFrame(
        [
            (t.target_id, t.unit_code, target_set.indicators[t.target_id])
            for t in target_set.targets
            if t.target_id in target_set.indicators
        ],
        schema={"target_id": pl.String, "unit_code": pl.String, "indicator": pl.String},
        orient="row",
    )
    matched = wanted.join(computed, on=["indicator", "unit_code"])
    return [
        Observation(t, u, y, Decimal(str(v)))
        for t, u, y, v in matched.select("target_id", "unit_code", "year", "value").iter_rows()
    ]


def indicator_names() -> list[str]:
    """The indicators a target may name in its `indicator` column."""
    return sorted(INDICATORS)

"""Reading the stored review summaries back for a unit and the units below it at one level."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.review import deprived_shares
from ansinh.store.models import ReviewSummary, Unit
from ansinh.store.review import RunInfo
from ansinh.store.units import closure_frame

REPORT_COLUMNS = [
    "unit_code",
    "unit_name",
    "level",
    "group_value",
    "households",
    "poor_households",
    "poor_rate",
    "near_poor_households",
    "near_poor_rate",
    "people",
    "poor_people",
    "near_poor_people",
    "mpi_h",
    "mpi_a",
    "mpi_m0",
]


@dataclass(frozen=True)
class PovertyReport:
    run: RunInfo
    unit_code: str
    level: str
    group_kind: str
    rows: pl.DataFrame  # the units at `level` under the unit, then the unit itself as total


def poverty_report(
    connection: Connection, run: RunInfo, unit_code: str, level: str, group_kind: str = "all"
) -> PovertyReport:
    closure = closure_frame(connection)
    below = closure.filter(
        (pl.col("ancestor_code") == unit_code)
        & (pl.col("unit_code").is_in(_codes_at_level(connection, level)))
    )["unit_code"].to_list()
    summary = ReviewSummary.__table__
    query = (
        select(summary, Unit.name.label("unit_name"))
        .join(Unit, Unit.code == summary.c.unit_code)
        .where(
            summary.c.run_id == run.id,
            summary.c.group_kind == group_kind,
            summary.c.unit_code.in_([*below, unit_code]),
        )
    )
    result = connection.execute(query)
    frame = pl.DataFrame(result.all(), schema=list(result.keys()), orient="row")
    if frame.height:
        frame = frame.with_columns(
            _rate("poor_households", "households").alias("poor_rate"),
            _rate("near_poor_households", "households").alias("near_poor_rate"),
            (pl.col("unit_code") == unit_code).alias("_total"),
        ).sort("_total", "unit_code", "group_value")
        frame = pl.concat(
            [frame.select(REPORT_COLUMNS), _deprivation_shares(frame)], how="horizontal"
        )
    return PovertyReport(run, unit_code, level, group_kind, frame)


def _deprivation_shares(frame: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's share of people deprived, as `deprived_<key>` columns."""
    shares = [
        deprived_shares(i, p) for i, p in zip(frame["indicators"], frame["people"], strict=True)
    ]
    return pl.DataFrame(shares).select(pl.all().round(4).name.prefix("deprived_"))


def _codes_at_level(connection: Connection, level: str) -> list[str]:
    return list(connection.scalars(select(Unit.code).where(Unit.level == level)))


def _rate(numerator: str, denominator: str) -> pl.Expr:
    return (
        pl.when(pl.col(denominator) > 0)
        .then(pl.col(numerator) / pl.col(denominator))
        .otherwise(0.0)
        .round(4)
    )

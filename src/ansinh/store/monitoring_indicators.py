"""Indicators the registry computes for monitoring targets, from each year's review, and the
observations they give the stored targets that name them (the source named on each).

Other parts add indicators through `register`: the benefits work is to register the coverage of
social assistance and of health insurance (`social_assistance_coverage`,
`health_insurance_coverage`: the share of those eligible who receive it, per unit and year),
and targets naming them are then fed like the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.monitoring.catalog import TargetSet
from ansinh.domain.monitoring.targets import Observation
from ansinh.store import frames
from ansinh.store.models import ReviewResult, ReviewRun, ReviewSummary, Survey, Unit
from ansinh.store.monitoring import OBSERVATION_KIND, OBSERVATION_SCHEMA, target_indicators
from ansinh.store.monitoring_rows import SCOPE, merge_rows

# A source computes `indicator`, `unit_code`, `year`, `value`, `source` for every unit and year.
Source = Callable[[Connection], pl.DataFrame]
COLUMNS = {
    "indicator": pl.String,
    "unit_code": pl.String,
    "year": pl.Int32,
    "value": pl.Float64,
    "source": pl.String,
}


@dataclass(frozen=True)
class Indicator:
    name: str
    description_vi: str
    description_en: str


INDICATORS: dict[str, Indicator] = {}
_SOURCES: list[Source] = []


def register(indicators: list[Indicator], source: Source) -> None:
    """Add indicators and the source that computes them (see the module's docstring)."""
    for indicator in indicators:
        INDICATORS[indicator.name] = indicator
    _SOURCES.append(source)


def indicator_names() -> list[str]:
    """The indicators a target may name in its `indicator` column."""
    return sorted(INDICATORS)


# From the review's summary: (group_kind, group_value, formula over its columns), as percentages
# of households or counts.
_RATE = pl.col("poor_households") / pl.col("households") * 100
_SUMMARY: dict[str, tuple[str, str, pl.Expr]] = {
    "poverty_rate": ("all", "all", _RATE),
    "near_poor_rate": ("all", "all", pl.col("near_poor_households") / pl.col("households") * 100),
    "ethnic_minority_poverty_rate": ("ethnic_minority", "minority", _RATE),
    "meritorious_poor_households": (
        "meritorious", "with_meritorious", pl.col("poor_households").cast(pl.Float64),
    ),
    "mpi_headcount": ("all", "all", pl.col("mpi_h") * 100),
}  # fmt: skip


def _run_source(year: pl.Expr, run: pl.Expr, standard: pl.Expr) -> pl.Expr:
    return pl.format("sổ đăng ký / registry: rà soát / review {} (#{}, {})", year, run, standard)


def review_indicators(connection: Connection) -> pl.DataFrame:
    """The summary indicators of every year's current review run, for every unit."""
    summary, runs = ReviewSummary.__table__, ReviewRun.__table__
    counts = ["households", "poor_households", "near_poor_households"]
    query = (
        select(
            runs.c.year,
            runs.c.id,
            runs.c.standard_id,
            summary.c.unit_code,
            summary.c.group_kind,
            summary.c.group_value,
            *(summary.c[c] for c in counts),
            summary.c.mpi_h,
        )
        .join(runs, runs.c.id == summary.c.run_id)
        .where(runs.c.current.is_(True), summary.c.households > 0)
    )
    schema = {"year": pl.Int32, "id": pl.Int64, "standard_id": pl.String, "unit_code": pl.String}
    schema |= {"group_kind": pl.String, "group_value": pl.String}
    schema |= {c: pl.Int64 for c in counts} | {"mpi_h": pl.Float64}
    found = frames.read_frame(connection, query, schema)
    source = _run_source(pl.col("year"), pl.col("id"), pl.col("standard_id"))
    parts = [
        found.filter((pl.col("group_kind") == kind) & (pl.col("group_value") == value)).select(
            pl.lit(name).alias("indicator"),
            "unit_code",
            "year",
            formula.round(4).alias("value"),
            source.alias("source"),
        )
        for name, (kind, value, formula) in _SUMMARY.items()
    ]
    return pl.concat(parts)


def meritorious_living_standard(connection: Connection) -> pl.DataFrame:
    """The share of households with a meritorious member whose income per capita (from the
    review's questionnaire) is at or above their commune's average income per capita — what
    seed 001's target means ("at or above the average of the community where they live"),
    per commune and per the unit above it, each household against its own commune."""
    result, runs, survey = ReviewResult.__table__, ReviewRun.__table__, Survey.__table__
    query = (
        select(
            runs.c.year,
            runs.c.id,
            runs.c.standard_id,
            result.c.commune_code,
            result.c.members,
            result.c.meritorious_members,
            survey.c.income_per_capita,
        )
        .join(runs, runs.c.id == result.c.run_id)
        .join(survey, survey.c.id == result.c.survey_id)
        .where(runs.c.current.is_(True))
    )
    schema = {"year": pl.Int32, "id": pl.Int64, "standard_id": pl.String}
    schema |= {"commune_code": pl.String, "members": pl.Int64, "meritorious_members": pl.Int64}
    found = frames.read_frame(connection, query, schema | {"income_per_capita": pl.Int64})
    income = pl.col("income_per_capita") * pl.col("members")
    average = income.sum().over("year", "commune_code") / pl.col("members").sum().over(
        "year", "commune_code"
    )
    households = found.with_columns(
        (pl.col("income_per_capita") >= average).alias("_at_or_above")
    ).filter(pl.col("meritorious_members") > 0)
    communes = select(Unit.__table__.c.code, Unit.__table__.c.parent_code).where(
        Unit.__table__.c.level == "commune"
    )
    parents = frames.read_frame(
        connection, communes, {"commune_code": pl.String, "parent_code": pl.String}
    )
    households = households.join(parents, on="commune_code", how="left")
    share = (pl.col("_at_or_above").mean() * 100).round(4).alias("value")
    keys = ["year", "id", "standard_id"]
    parts = [
        households.group_by([*keys, unit]).agg(share).rename({unit: "unit_code"})
        for unit in ("commune_code", "parent_code")
    ]
    return (
        pl.concat(parts)
        .drop_nulls("unit_code")
        .select(
            pl.lit("meritorious_average_share").alias("indicator"),
            "unit_code",
            "year",
            "value",
            _run_source(pl.col("year"), pl.col("id"), pl.col("standard_id")).alias("source"),
        )
    )


register(
    [
        Indicator("poverty_rate", "Tỷ lệ hộ nghèo (%)", "Poor households (%)"),
        Indicator("near_poor_rate", "Tỷ lệ hộ cận nghèo (%)", "Near-poor households (%)"),
        Indicator(
            "ethnic_minority_poverty_rate", "Tỷ lệ hộ nghèo có chủ hộ DTTS (%)",
            "Poor households among ethnic-minority-headed households (%)",
        ),
        Indicator(
            "meritorious_poor_households", "Số hộ nghèo có người có công",
            "Poor households with a meritorious member",
        ),
        Indicator(
            "mpi_headcount", "Tỷ lệ nghèo đa chiều H (%, Alkire–Foster)",
            "Multidimensional poverty headcount H (%, Alkire–Foster)",
        ),
    ],
    review_indicators,
)  # fmt: skip
register(
    [
        Indicator(
            "meritorious_average_share",
            "Tỷ lệ hộ có người có công có thu nhập bình quân đầu người (phiếu rà soát) bằng hoặc "
            "cao hơn bình quân đầu người của xã nơi cư trú (%)",
            "Households with a meritorious member whose income per capita (review questionnaire)"
            " is at or above their commune's average income per capita (%)",
        )
    ],
    meritorious_living_standard,
)


def registry_indicators(connection: Connection) -> pl.DataFrame:
    """`indicator`, `unit_code`, `year`, `value`, `source` from every registered source."""
    found = [source(connection).select(list(COLUMNS)).cast(COLUMNS) for source in _SOURCES]  # type: ignore[arg-type]
    return pl.concat(found).sort("indicator", "unit_code", "year")


def _observations(connection: Connection, wanted: pl.DataFrame) -> pl.DataFrame:
    """Observations (as stored) of the wanted (`target_id`, `unit_code`, `indicator`)."""
    computed = registry_indicators(connection)
    matched = wanted.join(computed, on=["indicator", "unit_code"])
    # Values are rounded to 4 places; as text without float noise (1.5, not 1.5000000001).
    text = pl.col("value").round(4).cast(pl.String).str.replace(r"\.0$", "")
    return matched.select(
        "target_id", "unit_code", "year", text.alias("value"), "source",
        *([SCOPE] if SCOPE in wanted.columns else []),
    )  # fmt: skip


def registry_observations(connection: Connection, target_set: TargetSet) -> list[Observation]:
    """Observations of a target set's targets that name a registry indicator."""
    wanted = pl.DataFrame(
        [
            (t.target_id, t.unit_code, target_set.indicators[t.target_id])
            for t in target_set.targets
            if t.target_id in target_set.indicators
        ],
        schema={"target_id": pl.String, "unit_code": pl.String, "indicator": pl.String},
        orient="row",
    )
    return [
        Observation(t, u, y, Decimal(v))
        for t, u, y, v in _observations(connection, wanted)
        .select("target_id", "unit_code", "year", "value")
        .iter_rows()
    ]


def feed_targets(connection: Connection, actor: str) -> dict[str, int]:
    """Give every stored target that names an indicator its observations from the registry.

    Each year's value is written (created or updated, audited) with its source; a target's
    observations of years the registry has not reviewed are left as they are.
    """
    rows = _observations(connection, target_indicators(connection))
    if rows.is_empty():
        return {"create": 0, "update": 0, "delete": 0}
    rows = rows.select(*OBSERVATION_SCHEMA, SCOPE).cast(OBSERVATION_SCHEMA)  # type: ignore[arg-type]
    merged = merge_rows(connection, OBSERVATION_KIND, rows, actor=actor, batch=f"feed-{actor}")
    return merged.counts

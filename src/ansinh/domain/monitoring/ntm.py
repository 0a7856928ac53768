"""New-rural (NTM) criteria: criteria met per commune, and recognised communes and villages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ansinh.domain.monitoring.finance import ALL, half_up

EVALUATION_SCHEMA = {
    "commune_code": pl.String,
    "parent_code": pl.String,
    "year": pl.Int32,
    "criterion": pl.Int32,
    "met": pl.Int8,
}
RECOGNITION_SCHEMA = {
    "unit_code": pl.String,
    "parent_code": pl.String,
    "kind": pl.String,
    "level": pl.String,
    "year": pl.Int32,
}
KINDS = ("commune", "village")
# Each level includes those below it: an advanced commune is also a new-rural commune.
LEVELS = ("none", "standard", "advanced", "model")
REPORT_COLUMNS = (
    "parent_code",
    "communes",
    "criteria_met_mean",
    "communes_meeting_all",
    "share_meeting_all",
)


@dataclass(frozen=True)
class Criterion:
    number: int
    key: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class CriteriaSet:
    """A dated national criteria set for one level (commune), in the decision's order."""

    id: str
    name_vi: str
    name_en: str
    level: str
    valid_from: date
    valid_to: date | None
    criteria: tuple[Criterion, ...]
    source: str

    def numbers(self) -> list[int]:
        return [c.number for c in self.criteria]

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def criteria_per_commune(
    evaluations: pl.DataFrame, year: int, criteria: CriteriaSet
) -> pl.DataFrame:
    """Each commune evaluated in `year`, its parent and the number of the set's criteria met."""
    rows = evaluations.filter(pl.col("year") == year)
    met = pl.col("criterion").filter(
        (pl.col("met") == 1) & pl.col("criterion").is_in(criteria.numbers())
    )
    return rows.group_by("parent_code", "commune_code").agg(met.n_unique().alias("criteria_met"))


def ntm_report(evaluations: pl.DataFrame, year: int, criteria: CriteriaSet) -> pl.DataFrame:
    """One row per parent unit and an `ALL` row (domain/monitoring.md); a missing row is not met."""
    communes = criteria_per_commune(evaluations, year, criteria).with_columns(
        (pl.col("criteria_met") == len(criteria.criteria)).cast(pl.Int64).alias("_all")
    )
    sums = [
        pl.len().cast(pl.Int64).alias("communes"),
        pl.col("criteria_met").sum().cast(pl.Int64).alias("_met"),
        pl.col("_all").sum().alias("communes_meeting_all"),
    ]
    by_parent = communes.group_by("parent_code").agg(sums).sort("parent_code")
    total = communes.select(sums).with_columns(pl.lit(ALL).alias("parent_code"))
    report = pl.concat([by_parent, total.select(by_parent.columns)])
    return report.with_columns(
        half_up(pl.col("_met"), pl.col("communes"), 2).alias("criteria_met_mean"),
        half_up(pl.col("communes_meeting_all"), pl.col("communes"), 4).alias("share_meeting_all"),
    ).select(REPORT_COLUMNS)


RECOGNITION_COLUMNS = (
    "communes_listed",
    "communes_recognised",
    "communes_advanced",
    "communes_model",
    "villages",
    "villages_recognised",
    "villages_model",
    "villages_recognised_share",
    "villages_model_share",
)


def recognition_counts(recognitions: pl.DataFrame, year: int) -> pl.DataFrame:
    """Cumulative recognitions by the end of `year`, per parent unit and `ALL`.

    A unit counts at a level if it was recognised at that level or above in `year` or earlier.
    """
    rank = pl.col("level").replace_strict(
        {name: i for i, name in enumerate(LEVELS)}, return_dtype=pl.Int8
    )
    reached = pl.when(pl.col("year") <= year).then(rank).otherwise(0)
    units = recognitions.group_by("kind", "parent_code", "unit_code").agg(
        reached.max().fill_null(0).alias("_level")
    )

    def count(kind: str, at_least: str) -> pl.Expr:
        level = LEVELS.index(at_least)
        return ((pl.col("kind") == kind) & (pl.col("_level") >= level)).sum().cast(pl.Int64)

    sums = [
        count("commune", "none").alias("communes_listed"),
        count("commune", "standard").alias("communes_recognised"),
        count("commune", "advanced").alias("communes_advanced"),
        count("commune", "model").alias("communes_model"),
        count("village", "none").alias("villages"),
        count("village", "standard").alias("villages_recognised"),
        count("village", "model").alias("villages_model"),
    ]
    by_parent = units.group_by("parent_code").agg(sums).sort("parent_code")
    total = units.select(sums).with_columns(pl.lit(ALL).alias("parent_code"))
    report = pl.concat([by_parent, total.select(by_parent.columns)])
    return report.with_columns(
        half_up(pl.col("villages_recognised"), pl.col("villages"), 4).alias(
            "villages_recognised_share"
        ),
        half_up(pl.col("villages_model"), pl.col("villages"), 4).alias("villages_model_share"),
    ).select("parent_code", *RECOGNITION_COLUMNS)


def combined_report(
    evaluations: pl.DataFrame,
    recognitions: pl.DataFrame | None,
    year: int,
    criteria: CriteriaSet,
) -> pl.DataFrame:
    """The criteria report, with the recognition counts joined on when they are given."""
    report = ntm_report(evaluations, year, criteria)
    if recognitions is None:
        return report
    counts = recognition_counts(recognitions, year)
    joined = report.join(counts, on="parent_code", how="full", coalesce=True)
    zero_filled = [pl.col(c).fill_null(0) for c in ("communes", "communes_meeting_all")]
    is_total = (pl.col("parent_code") == ALL).cast(pl.Int8)
    return joined.with_columns(zero_filled).sort(is_total, "parent_code")

"""What if another standard applied: the same questionnaires classified under two standards,
side by side, with the households whose status changes and H, A, M0 under both."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ansinh.domain.poverty.frame import classify_frame
from ansinh.domain.poverty.sql import deprived_column
from ansinh.domain.poverty.standard import PovertyStandard, severity

SIDES = ("base", "other")
# Kept beside each household's two results: its id, unit and size, and a code if given.
IDENTITY = ("household_id", "code", "unit_code", "members")
COUNTS = (
    "households",
    "poor_base",
    "near_poor_base",
    "poor_other",
    "near_poor_other",
    "changed",
    "worse",
    "better",
)
MEASURES = tuple(f"{m}_{side}" for side in SIDES for m in ("mpi_h", "mpi_a", "mpi_m0"))


@dataclass(frozen=True)
class WhatIf:
    base: PovertyStandard
    other: PovertyStandard
    households: pl.DataFrame  # household_id, unit_code, status_base, status_other, ...
    by_unit: pl.DataFrame  # unit_code, COUNTS, MEASURES; the total last with unit_code "*"
    not_surveyed: tuple[str, ...]  # indicators of either standard no questionnaire answered

    @property
    def provisional(self) -> bool:
        return self.base.provisional or self.other.provisional

    @property
    def changes(self) -> pl.DataFrame:
        return self.households.filter(pl.col("status_base") != pl.col("status_other"))


def compare(questionnaires: pl.DataFrame, base: PovertyStandard, other: PovertyStandard) -> WhatIf:
    """`questionnaires`: household_id, unit_code, members, area, income_per_capita and a
    deprived_<key> column for every indicator of either standard (null: not asked, counted as
    not deprived, and named in `not_surveyed`)."""
    keys = dict.fromkeys([*base.indicators, *other.indicators])
    missing = tuple(
        key
        for key in keys
        if questionnaires[deprived_column(key)].null_count() == questionnaires.height
        and questionnaires.height > 0
    )
    sides = []
    for side, standard in zip(SIDES, (base, other), strict=True):
        classified = classify_frame(questionnaires, standard).select(
            pl.col("status").alias(f"status_{side}"),
            pl.col("mpi_score").alias(f"score_{side}"),
            pl.col("mpi_poor").alias(f"mpi_poor_{side}"),
        )
        sides.append(classified)
    households = pl.concat(
        [questionnaires.select(c for c in IDENTITY if c in questionnaires.columns), *sides],
        how="horizontal",
    )
    moved = pl.col("status_other").replace_strict(_SEVERITY, default=None) - pl.col(
        "status_base"
    ).replace_strict(_SEVERITY, default=None)
    households = households.with_columns(
        (moved > 0).fill_null(False).alias("worse"), (moved < 0).fill_null(False).alias("better")
    )
    by_unit = _summed(households, ["unit_code"])
    total = _summed(households.with_columns(pl.lit("*").alias("unit_code")), ["unit_code"])
    return WhatIf(base, other, households, pl.concat([by_unit.sort("unit_code"), total]), missing)


_SEVERITY = {status: severity(status) for status in ("poor", "near_poor", "average", "none")}


def _summed(households: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    people = pl.col("members").cast(pl.Float64)
    sums = [
        pl.len().cast(pl.Int64).alias("households"),
        people.sum().alias("_people"),
        (pl.col("status_base") != pl.col("status_other")).sum().cast(pl.Int64).alias("changed"),
        pl.col("worse").sum().cast(pl.Int64).alias("worse"),
        pl.col("better").sum().cast(pl.Int64).alias("better"),
    ]
    for side in SIDES:
        status, poor = pl.col(f"status_{side}"), pl.col(f"mpi_poor_{side}")
        sums += [
            (status == "poor").sum().cast(pl.Int64).alias(f"poor_{side}"),
            (status == "near_poor").sum().cast(pl.Int64).alias(f"near_poor_{side}"),
            (people * poor).sum().alias(f"_poor_people_{side}"),
            (people * poor * pl.col(f"score_{side}")).sum().alias(f"_poor_score_{side}"),
        ]
    summed = households.group_by(keys).agg(sums)
    measures = []
    for side in SIDES:
        total, poor_people = pl.col("_people"), pl.col(f"_poor_people_{side}")
        score = pl.col(f"_poor_score_{side}")
        measures += [
            pl.when(total > 0).then(poor_people / total).otherwise(0.0).alias(f"mpi_h_{side}"),
            pl.when(poor_people > 0)
            .then(score / poor_people)
            .otherwise(0.0)
            .alias(f"mpi_a_{side}"),
            pl.when(total > 0).then(score / total).otherwise(0.0).alias(f"mpi_m0_{side}"),
        ]
    return summed.with_columns(measures).select(*keys, *COUNTS, *MEASURES)

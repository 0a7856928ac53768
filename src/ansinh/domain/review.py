"""Rolling the review's additive cells up the unit tree into counts, rates and MPI measures."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

KINH = "01"


@dataclass(frozen=True)
class Grouping:
    """A way to split a unit's households: a name and the value of each cell (None: left out)."""

    kind: str
    value: pl.Expr


GROUPINGS: tuple[Grouping, ...] = (
    Grouping("all", pl.lit("all")),
    Grouping("ethnicity", pl.col("head_ethnicity").fill_null("unknown")),
    Grouping(
        "ethnic_minority",
        pl.when(pl.col("head_ethnicity") == KINH)
        .then(pl.lit("kinh"))
        .when(pl.col("head_ethnicity").is_not_null())
        .then(pl.lit("minority")),
    ),
    Grouping("meritorious", pl.when(pl.col("meritorious") == 1).then(pl.lit("with_meritorious"))),
    # FIGURES 003: the goal excludes households where no member can work.
    Grouping(
        "meritorious_can_work",
        pl.when((pl.col("meritorious") == 1) & (pl.col("can_work") == 1)).then(
            pl.lit("with_meritorious_can_work")
        ),
    ),
)
STATUS_COUNTS = ("poor", "near_poor", "average")


# A cell is one combination of the ways a report splits households; its sums are additive,
# so every unit at every level, and every group, is a sum of cells.
CELL_KEYS = ("unit_code", "head_ethnicity", "meritorious", "can_work", "status", "mpi_poor")


def sum_cells(
    results: pl.DataFrame, indicators: Sequence[str], weights: Mapping[str, float]
) -> pl.DataFrame:
    """Sum one row per household into cells, with the Alkire-Foster sums weighted by people.

    `results` has unit_code, head_ethnicity, status, meritorious and can_work (0/1: has a
    meritorious member, a member able to work), mpi_poor (0/1), members, and deprivations (bit
    i: deprived in the i-th of `indicators`).
    """
    members = pl.col("members")
    deprived = [
        (members * (pl.col("deprivations") // 2**i % 2)).sum().alias(f"deprived_{key}")
        for i, key in enumerate(indicators)
    ]
    counted = results.group_by(CELL_KEYS).agg(
        pl.len().alias("households"), members.sum().alias("people"), *deprived
    )
    return finish_cells(counted, indicators, weights)


def finish_cells(
    counted: pl.DataFrame, indicators: Sequence[str], weights: Mapping[str, float]
) -> pl.DataFrame:
    """The cells' MPI sums from their counts (CELL_KEYS, households, people, and deprived_K:
    the people of households deprived in K), wherever the counting was done. A poor
    household's score is Σ w_k g_k, so the people-weighted score of a cell's poor is Σ w_k ×
    its censored headcount of k (Alkire & Foster 2011, M0 = Σ w_k × h_k)."""
    poor = pl.col("mpi_poor")
    counts = ["households", "people", *(f"deprived_{key}" for key in indicators)]
    summed = counted.with_columns(pl.col(counts).cast(pl.Int64)).with_columns(
        *((pl.col(f"deprived_{key}") * poor).alias(f"censored_{key}") for key in indicators),
        (pl.col("people") * poor).alias("mpi_poor_people"),
    )
    score = pl.sum_horizontal(
        [pl.col(f"censored_{key}") * weights[key] for key in indicators] or [pl.lit(0.0)]
    )
    return summed.with_columns(score.cast(pl.Float64).alias("mpi_poor_score")).drop("mpi_poor")


def rollup(
    cells: pl.DataFrame,
    closure: pl.DataFrame,
    indicators: Sequence[str],
    groupings: Sequence[Grouping] = GROUPINGS,
) -> pl.DataFrame:
    """One row per unit (at every level above each cell), grouping kind and value.

    `closure` has `unit_code`, `ancestor_code`, `ancestor_level`: each unit and every unit above
    it, itself included. A cell's unit is its households' village where known, else commune.
    """
    placed = _by_status(cells, indicators).join(closure, on="unit_code")
    sums = [pl.col(c).sum() for c in _additive(indicators)]
    frames = []
    for grouping in groupings:
        grouped = (
            placed.with_columns(grouping.value.alias("group_value"))
            .filter(pl.col("group_value").is_not_null())
            .group_by("ancestor_code", "ancestor_level", "group_value")
            .agg(sums)
            .with_columns(pl.lit(grouping.kind).alias("group_kind"))
        )
        frames.append(grouped)
    summed = pl.concat(frames).rename({"ancestor_code": "unit_code", "ancestor_level": "level"})
    return _measures(summed, indicators).sort("level", "unit_code", "group_kind", "group_value")


def _by_status(cells: pl.DataFrame, indicators: Sequence[str]) -> pl.DataFrame:
    """The cells with each status's households and people as columns, summed over statuses
    (and MPI poverty): every grouping then sums plain columns, over a third as many rows."""
    by_status = [
        pl.when(pl.col("status") == status)
        .then(pl.col(count))
        .otherwise(0)
        .alias(f"{status}_{count}")
        for status in STATUS_COUNTS
        for count in ("households", "people")
    ]
    keys = [key for key in CELL_KEYS if key not in ("status", "mpi_poor")]
    return (
        cells.with_columns(by_status)
        .group_by(keys)
        .agg(pl.col(c).sum() for c in _additive(indicators))
    )


def _additive(indicators: Sequence[str]) -> list[str]:
    additive = ["households", "people", "mpi_poor_people", "mpi_poor_score"]
    additive += [f"{kind}_{key}" for key in indicators for kind in ("deprived", "censored")]
    return additive + [f"{s}_{c}" for s in STATUS_COUNTS for c in ("households", "people")]


def _measures(summed: pl.DataFrame, indicators: Sequence[str]) -> pl.DataFrame:
    """Alkire-Foster measures from the sums, people-weighted (Alkire & Foster 2011, section 3)."""
    people = pl.col("people")
    h = _ratio(pl.col("mpi_poor_people"), people)
    a = _ratio(pl.col("mpi_poor_score"), pl.col("mpi_poor_people"))
    summed = summed.with_columns(h.alias("mpi_h"), a.alias("mpi_a")).with_columns(
        (pl.col("mpi_h") * pl.col("mpi_a")).alias("mpi_m0")
    )
    return summed.with_columns(_counts_json(indicators).alias("indicators")).with_columns(
        (_ratio(pl.col("poor_households"), pl.col("households"))).alias("poor_rate"),
        (_ratio(pl.col("near_poor_households"), pl.col("households"))).alias("near_poor_rate"),
    )


def _counts_json(indicators: Sequence[str]) -> pl.Expr:
    """{"key": [deprived, censored], ...}: the people counts, not their ratios (a fifth of the
    text to store). Written as text: a struct's JSON encoding of 60,000 rows took three times
    as long (0.23 s). The counts are integers; the keys are quoted by json.dumps."""
    parts: list[pl.Expr] = []
    for i, key in enumerate(indicators):
        opening = ("{" if i == 0 else ",") + json.dumps(key) + ":["
        parts += [pl.lit(opening), pl.col(f"deprived_{key}").cast(pl.String), pl.lit(",")]
        parts += [pl.col(f"censored_{key}").cast(pl.String), pl.lit("]")]
    return pl.concat_str(parts or [pl.lit("{")], separator="") + pl.lit("}")


def deprived_shares(indicators: str, people: int) -> dict[str, float]:
    """Each indicator's share of people deprived, from a summary row's `indicators`."""
    return {
        key: deprived / people if people else 0.0
        for key, (deprived, _censored) in json.loads(indicators).items()
    }


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(0.0)

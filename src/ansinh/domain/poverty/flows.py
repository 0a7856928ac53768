"""Year-on-year flows: households that left poverty or near-poverty, and those that fell in.

Each household's status this year and last year (None: not reviewed that year), and whether it
was poor in any earlier year, give its flows; a unit's flows are sums. The counts reconcile:
poor at the end = poor at the start − exited − not reviewed again + fell in + fell back in, and
the same for near-poverty with the moves between the two lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

POOR, NEAR_POOR = "poor", "near_poor"
ABOVE = ("average", "none")


@dataclass(frozen=True)
class Flow:
    """One column of the flows table: its key, names and the test on a household's years."""

    key: str
    name_vi: str
    name_en: str
    test: pl.Expr


def _flows() -> tuple[Flow, ...]:
    now, before, earlier = pl.col("now"), pl.col("before"), pl.col("earlier_poor").fill_null(False)
    was_poor, was_near = before == POOR, before == NEAR_POOR
    is_poor, is_near = now == POOR, now == NEAR_POOR
    reviewed = now.is_not_null()
    # A household with no result last year was on no list: fill so that "not poor" holds.
    before_filled = before.fill_null("")
    return (
        Flow("poor_start", "Hộ nghèo đầu kỳ", "Poor at the start", was_poor),
        Flow(
            "exited_poverty",
            "Hộ thoát nghèo",
            "Exited poverty",
            was_poor & reviewed & ~is_poor.fill_null(False),
        ),
        Flow(
            "exited_poverty_to_near_poor",
            "Trong đó: thoát nghèo thành hộ cận nghèo",
            "Of which: became near-poor",
            was_poor & is_near,
        ),
        Flow(
            "poor_not_reviewed",
            "Hộ nghèo không còn rà soát",
            "Poor, not reviewed again",
            was_poor & ~reviewed,
        ),
        Flow(
            "fell_into_poverty",
            "Hộ nghèo phát sinh mới",
            "Fell into poverty",
            is_poor & (before_filled != POOR) & ~earlier,
        ),
        Flow(
            "fell_back_into_poverty",
            "Hộ tái nghèo",
            "Fell back into poverty",
            is_poor & (before_filled != POOR) & earlier,
        ),
        Flow("poor_end", "Hộ nghèo cuối kỳ", "Poor at the end", is_poor),
        Flow("near_poor_start", "Hộ cận nghèo đầu kỳ", "Near-poor at the start", was_near),
        Flow(
            "exited_near_poverty",
            "Hộ thoát cận nghèo",
            "Exited near-poverty",
            was_near & now.is_in(list(ABOVE)),
        ),
        Flow(
            "near_poor_to_poor",
            "Hộ cận nghèo trở thành hộ nghèo",
            "Near-poor who became poor",
            was_near & is_poor,
        ),
        Flow(
            "near_poor_not_reviewed",
            "Hộ cận nghèo không còn rà soát",
            "Near-poor, not reviewed again",
            was_near & ~reviewed,
        ),
        Flow(
            "newly_near_poor",
            "Hộ cận nghèo phát sinh mới",
            "Newly near-poor",
            is_near & ~before_filled.is_in([POOR, NEAR_POOR]),
        ),
        Flow("near_poor_end", "Hộ cận nghèo cuối kỳ", "Near-poor at the end", is_near),
    )


FLOWS: tuple[Flow, ...] = _flows()
FLOW_KEYS: tuple[str, ...] = tuple(flow.key for flow in FLOWS)


def household_flows(years: pl.DataFrame) -> pl.DataFrame:
    """One 0/1 column per flow beside each household's `now`, `before` and `earlier_poor`.

    `now` and `before`: the status this year and last year (null: no result that year);
    `earlier_poor`: poor in some year before last year (a household poor again after a year
    off the list has fallen back into poverty, not newly into it).
    """
    return years.with_columns(
        flow.test.fill_null(False).cast(pl.Int64).alias(flow.key) for flow in FLOWS
    )


def flows_by_unit(
    years: pl.DataFrame, closure: pl.DataFrame, levels: Sequence[str] | None = None
) -> pl.DataFrame:
    """Each unit's flows (households counted), at every level above the households' units.

    `years` has `unit_code` beside the columns household_flows needs; `closure` has
    `unit_code`, `ancestor_code`, `ancestor_level` (each unit with itself and every unit above).
    """
    flagged = household_flows(years)
    by_unit = flagged.group_by("unit_code").agg(pl.col(key).sum() for key in FLOW_KEYS)
    placed = by_unit.join(closure, on="unit_code")
    if levels is not None:
        placed = placed.filter(pl.col("ancestor_level").is_in(list(levels)))
    return (
        placed.group_by("ancestor_code", "ancestor_level")
        .agg(pl.col(key).sum() for key in FLOW_KEYS)
        .rename({"ancestor_code": "unit_code", "ancestor_level": "level"})
        .sort("level", "unit_code")
    )


def reconciles(row: dict[str, int]) -> bool:
    """Whether a unit's counts add up: start − out + in = end, for both lists."""
    poor = (
        row["poor_start"]
        - row["exited_poverty"]
        - row["poor_not_reviewed"]
        + row["fell_into_poverty"]
        + row["fell_back_into_poverty"]
    )
    near = (
        row["near_poor_start"]
        - row["exited_near_poverty"]
        - row["near_poor_to_poor"]
        - row["near_poor_not_reviewed"]
        + row["newly_near_poor"]
        + row["exited_poverty_to_near_poor"]
    )
    return poor == row["poor_end"] and near == row["near_poor_end"]

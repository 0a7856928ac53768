"""Year-on-year flows: households that left poverty or near-poverty, and those that fell in.

Each household's status this year and last year (None: not reviewed that year), and whether it
was poor or near-poor in any earlier year, give its flows; a unit's flows are sums, of
households and, weighted by each household's members, of people. The counts reconcile:
poor at the end = poor at the start − exited − not reviewed again + fell in + fell back in, and
the same for near-poverty with the moves between the two lists. The movement forms split the
same households finer (columns 1 to 9 of "tổng hợp diễn biến hộ nghèo / hộ cận nghèo"), and
add up as 9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8.
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
    earlier_near = pl.col("earlier_near_poor").fill_null(False)
    was_poor, was_near = before == POOR, before == NEAR_POOR
    is_poor, is_near = now == POOR, now == NEAR_POOR
    reviewed, had_result = now.is_not_null(), before.is_not_null()
    was_above, is_above = before.is_in(list(ABOVE)), now.is_in(list(ABOVE))
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
        # The movement forms' columns that the flows above do not give: there a household
        # that came onto a list from another list, from above the lines, or with no result
        # last year is counted in one column each, so that the columns add up.
        Flow(
            "exited_poverty_above_near_poor",
            "Thoát nghèo, vượt chuẩn cận nghèo",
            "Exited poverty, above the near-poor line",
            was_poor & is_above,
        ),
        Flow(
            "poor_again_from_above",
            "Tái nghèo (năm trước trên chuẩn cận nghèo)",
            "Poor again (above the near-poor line last year)",
            is_poor & was_above & earlier,
        ),
        Flow(
            "newly_poor_from_above",
            "Nghèo phát sinh mới (năm trước trên chuẩn cận nghèo)",
            "Newly poor (above the near-poor line last year)",
            is_poor & was_above & ~earlier,
        ),
        Flow(
            "poor_not_reviewed_before",
            "Hộ nghèo không có kết quả năm trước (chuyển đến, tách, nhập, ...)",
            "Poor with no result last year (moved in, split, merged, ...)",
            is_poor & ~had_result,
        ),
        Flow(
            "near_poor_again_from_above",
            "Tái cận nghèo (năm trước trên chuẩn cận nghèo)",
            "Near-poor again (above the near-poor line last year)",
            is_near & was_above & earlier_near,
        ),
        Flow(
            "newly_near_poor_from_above",
            "Cận nghèo phát sinh mới (năm trước trên chuẩn cận nghèo)",
            "Newly near-poor (above the near-poor line last year)",
            is_near & was_above & ~earlier_near,
        ),
        Flow(
            "near_poor_not_reviewed_before",
            "Hộ cận nghèo không có kết quả năm trước (chuyển đến, tách, nhập, ...)",
            "Near-poor with no result last year (moved in, split, merged, ...)",
            is_near & ~had_result,
        ),
    )


FLOWS: tuple[Flow, ...] = _flows()
FLOW_KEYS: tuple[str, ...] = tuple(flow.key for flow in FLOWS)
# The flows the flows page and table list; the movement forms' finer columns are in the forms.
LISTED_FLOWS: tuple[Flow, ...] = FLOWS[: FLOW_KEYS.index("near_poor_end") + 1]
PEOPLE = "_people"  # the suffix of a flow's count of people: `poor_start_people`


@dataclass(frozen=True)
class Movements:
    """A movement form's columns 1 to 9: at the start, out (2-4), in (5-8), at the end."""

    start: str
    out: tuple[str, str, str]
    into: tuple[str, str, str, str]
    end: str

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.start, *self.out, *self.into, self.end)

    def add_up(self, row: dict[str, int], suffix: str = "") -> bool:
        """9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8, of households or (suffix PEOPLE) of people."""
        out = sum(row[key + suffix] for key in self.out)
        into = sum(row[key + suffix] for key in self.into)
        return row[self.start + suffix] - out + into == row[self.end + suffix]


POOR_MOVEMENTS = Movements(
    "poor_start",
    ("exited_poverty_to_near_poor", "exited_poverty_above_near_poor", "poor_not_reviewed"),
    (
        "near_poor_to_poor",
        "poor_again_from_above",
        "newly_poor_from_above",
        "poor_not_reviewed_before",
    ),
    "poor_end",
)
NEAR_POOR_MOVEMENTS = Movements(
    "near_poor_start",
    ("exited_near_poverty", "near_poor_to_poor", "near_poor_not_reviewed"),
    (
        "exited_poverty_to_near_poor",
        "near_poor_again_from_above",
        "newly_near_poor_from_above",
        "near_poor_not_reviewed_before",
    ),
    "near_poor_end",
)


def household_flows(years: pl.DataFrame) -> pl.DataFrame:
    """One 0/1 column per flow beside each household's `now`, `before`, `earlier_poor` and
    `earlier_near_poor`.

    `now` and `before`: the status this year and last year (null: no result that year);
    `earlier_poor`: poor in some year before last year (a household poor again after a year
    off the list has fallen back into poverty, not newly into it); `earlier_near_poor`: the
    same for the near-poor list ("tái cận nghèo").
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
    With a `members` column in `years`, each flow's people are summed too, as `<key>_people`:
    the same flags weighted by the household's members, so that they add up as households do.
    """
    flagged = household_flows(years)
    sums = [pl.col(key).sum() for key in FLOW_KEYS]
    if "members" in years.columns:
        people = pl.col("members").fill_null(0)
        sums += [(pl.col(key) * people).sum().alias(key + PEOPLE) for key in FLOW_KEYS]
    by_unit = flagged.group_by("unit_code").agg(sums)
    counted = [c for c in by_unit.columns if c != "unit_code"]
    placed = by_unit.join(closure, on="unit_code")
    if levels is not None:
        placed = placed.filter(pl.col("ancestor_level").is_in(list(levels)))
    return (
        placed.group_by("ancestor_code", "ancestor_level")
        .agg(pl.col(key).sum() for key in counted)
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

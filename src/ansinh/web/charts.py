"""What the dashboard draws: bars on one 0-100 % scale, rate bands of the commune tiles, the
trend's lines, and the order of the commune table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ansinh.domain.names import fold
from ansinh.store.dashboard import UnitFigures, YearFigures

TICKS = (0, 25, 50, 75, 100)  # every bar's scale, in per cent
# Poverty-rate bands of the tiles (lowest rate of each, as a share), lightest first.
BANDS = (0.0, 0.05, 0.10, 0.20, 0.40)
SORTS = {
    "name": lambda u: (fold(u.name), u.name),  # "Âu Lâu" among the A's, not after "Yên"
    "households": lambda u: u.households,
    "poor_rate": lambda u: u.poor_rate,
    "near_poor_rate": lambda u: u.near_poor_rate,
    "m0": lambda u: u.mpi_m0,
    "registered": lambda u: u.registered,
}


def by_name(units: Sequence[UnitFigures]) -> list[UnitFigures]:
    """Units in the order of their names as Vietnamese readers look them up."""
    return ordered(units, "name", "asc")


def band(rate: float) -> int:
    """The band (0 to 4) a poverty rate falls in."""
    return max(i for i, low in enumerate(BANDS) if rate >= low)


def band_ranges() -> list[tuple[int, float, float | None]]:
    """Each band with its lowest rate and the next band's (None for the last): the legend."""
    ends: list[float | None] = [*BANDS[1:], None]
    return [(i, low, high) for i, (low, high) in enumerate(zip(BANDS, ends, strict=True))]


def ordered(units: Sequence[UnitFigures], sort: str, order: str) -> list[UnitFigures]:
    """The children table in the order asked for (by name when the column is unknown)."""
    key = SORTS.get(sort, SORTS["name"])
    return sorted(units, key=key, reverse=order == "desc")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    rate: float


@dataclass(frozen=True)
class TrendChart:
    """Two lines (poor, near-poor) over the years, on a y axis from 0 to `top` per cent."""

    width: int
    height: int
    left: int
    bottom: int
    top: int
    ticks: list[tuple[float, int]]  # (y, per cent)
    poor: list[Point]
    near_poor: list[Point]

    @staticmethod
    def line(points: list[Point]) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def trend_chart(years: Sequence[YearFigures], width: int = 560, height: int = 220) -> TrendChart:
    """The trend as lines once there are two years or more; the scale's top a round ten."""
    left, right, top_pad, bottom = 48, 24, 16, 28
    highest = max([y.poor_rate for y in years] + [y.near_poor_rate for y in years] + [0.01])
    top = min(100, max(10, math.ceil(highest * 100 / 10) * 10))
    plot_h = height - top_pad - bottom
    step = (width - left - right) / max(1, len(years) - 1)

    def at(i: int, rate: float, year: int) -> Point:
        return Point(left + i * step, top_pad + plot_h * (1 - rate * 100 / top), year, rate)

    ticks = [(top_pad + plot_h * (1 - v / top), v) for v in range(0, top + 1, max(1, top // 5))]
    return TrendChart(
        width,
        height,
        left,
        height - bottom,
        top,
        ticks,
        [at(i, y.poor_rate, y.year) for i, y in enumerate(years)],
        [at(i, y.near_poor_rate, y.year) for i, y in enumerate(years)],
    )

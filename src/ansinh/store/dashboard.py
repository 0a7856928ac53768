"""A unit's figures and its children's, from the stored review summary, for the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, or_, select

from ansinh.domain.review import deprived_shares
from ansinh.store.freshness import cache_for, data_version
from ansinh.store.models import Household, ReviewRun, ReviewSummary, Unit


@dataclass(frozen=True)
class UnitFigures:
    code: str
    name: str
    level: str
    households: int = 0
    people: int = 0
    poor_households: int = 0
    near_poor_households: int = 0
    mpi_h: float = 0.0
    mpi_a: float = 0.0
    mpi_m0: float = 0.0
    deprived: dict[str, float] = field(default_factory=dict)  # indicator -> share of people
    registered: int = 0  # households in the registry now, reviewed or not

    @property
    def poor_rate(self) -> float:
        return self.poor_households / self.households if self.households else 0.0

    @property
    def near_poor_rate(self) -> float:
        return self.near_poor_households / self.households if self.households else 0.0


Figures = tuple[UnitFigures | None, list[UnitFigures]]


def unit_figures(connection: Connection, run_id: int | None, unit_code: str) -> Figures:
    """The unit's own figures and each child's that has households, reviewed or registered.

    Counting a million households is too dear for every request: the answer is kept until the
    registry changes (ansinh.store.freshness)."""
    cache = cache_for(connection.engine, "unit_figures")
    return cache.get(
        data_version(connection),
        (run_id, unit_code),
        lambda: _unit_figures(connection, run_id, unit_code),
    )


def _unit_figures(connection: Connection, run_id: int | None, unit_code: str) -> Figures:
    units = {
        row.code: row
        for row in connection.execute(
            select(Unit.code, Unit.name, Unit.level).where(
                or_(Unit.code == unit_code, Unit.parent_code == unit_code)
            )
        )
    }
    summaries = _summaries(connection, run_id, list(units)) if run_id is not None else {}
    counts = registered_households(connection, unit_code)
    figures: dict[str, UnitFigures] = {}
    for code, row in units.items():
        if code != unit_code and code not in summaries and code not in counts:
            continue
        found: dict[str, Any] = summaries.get(code, {})
        figures[code] = UnitFigures(
            code, row.name, row.level, registered=counts.get(code, 0), **found
        )
    own = figures.pop(unit_code, None)
    if own is not None and unit_code not in counts:
        own = UnitFigures(**{**own.__dict__, "registered": sum(counts.values())})
    return own, sorted(figures.values(), key=lambda f: f.code)


def _summaries(connection: Connection, run_id: int, codes: list[str]) -> dict[str, dict[str, Any]]:
    s = ReviewSummary
    rows = connection.execute(
        select(
            s.unit_code,
            s.households,
            s.people,
            s.poor_households,
            s.near_poor_households,
            s.mpi_h,
            s.mpi_a,
            s.mpi_m0,
            s.indicators,
        ).where(s.run_id == run_id, s.group_kind == "all", s.unit_code.in_(codes))
    )
    return {
        row.unit_code: {
            "households": row.households,
            "people": row.people,
            "poor_households": row.poor_households,
            "near_poor_households": row.near_poor_households,
            "mpi_h": row.mpi_h,
            "mpi_a": row.mpi_a,
            "mpi_m0": row.mpi_m0,
            "deprived": deprived_shares(row.indicators, row.people),
        }
        for row in rows
    }


def registered_households(connection: Connection, unit_code: str) -> dict[str, int]:
    """Households registered now in each child of the unit (and the unit itself if a commune)."""
    return _count_registered(connection, unit_code)


def _count_registered(connection: Connection, unit_code: str) -> dict[str, int]:
    level = connection.scalar(select(Unit.level).where(Unit.code == unit_code))
    if level == "village":  # a village's own households (its page said 0 while listing 57)
        count = connection.scalar(
            select(func.count()).select_from(Household).where(Household.village_code == unit_code)
        )
        return {unit_code: int(count or 0)}
    if level == "commune":
        by_village = connection.execute(
            select(Household.village_code, func.count())
            .where(Household.commune_code == unit_code)
            .group_by(Household.village_code)
        ).all()
        villages = {code: int(n) for code, n in by_village if code is not None}
        return villages | {unit_code: sum(int(n) for _, n in by_village)}
    # Per commune from the index alone, then summed into the children of the unit.
    by_commune = dict(
        connection.execute(
            select(Household.commune_code, func.count()).group_by(Household.commune_code)
        ).all()
    )
    parents = dict(
        connection.execute(
            select(Unit.code, Unit.parent_code).where(Unit.code.in_(list(by_commune)))
        ).all()
    )
    counts: dict[str, int] = {}
    for commune, n in by_commune.items():
        if parents.get(commune) == unit_code:
            counts[commune] = int(n)
        elif level == "country" and parents.get(commune) is not None:
            province = str(parents[commune])
            counts[province] = counts.get(province, 0) + int(n)
    return counts


@dataclass(frozen=True)
class YearFigures:
    year: int
    standard_id: str
    provisional: bool
    households: int
    poor_rate: float
    near_poor_rate: float
    mpi_m0: float


def trend(connection: Connection, unit_code: str) -> list[YearFigures]:
    """The unit's rates in each year's current review, oldest first; the standard in force wins
    over a provisional one reviewed for the same year."""
    s = ReviewSummary
    runs = list(connection.scalars(select(ReviewRun.id).where(ReviewRun.current.is_(True))))
    rows = connection.execute(
        select(
            ReviewRun.year,
            ReviewRun.standard_id,
            ReviewRun.provisional,
            s.households,
            s.poor_households,
            s.near_poor_households,
            s.mpi_m0,
        )
        .join(ReviewRun, ReviewRun.id == s.run_id)
        .where(s.run_id.in_(runs), s.unit_code == unit_code, s.group_kind == "all")
        .order_by(ReviewRun.year, ReviewRun.provisional.desc(), ReviewRun.id)
    ).all()
    by_year: dict[int, YearFigures] = {}
    for row in rows:  # a handful of years: the last of each year is the one kept
        total = row.households or 0
        by_year[row.year] = YearFigures(
            row.year,
            row.standard_id,
            bool(row.provisional),
            total,
            row.poor_households / total if total else 0.0,
            row.near_poor_households / total if total else 0.0,
            float(row.mpi_m0),
        )
    return list(by_year.values())

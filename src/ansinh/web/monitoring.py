"""Monitoring as pages show it: target statuses, disbursement and NTM from the stored data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import ALL, finance_report
from ansinh.domain.monitoring.ntm import criteria_per_commune
from ansinh.domain.monitoring.projects import project_report
from ansinh.domain.monitoring.targets import Status, TargetStatus, statuses
from ansinh.errors import InputError
from ansinh.store import monitoring as stored
from ansinh.store.monitoring_indicators import INDICATORS, Indicator
from ansinh.store.scope import Scope
from ansinh.web.panels import Panel, register

# Units a viewer's rows are limited to; None: every row (roles not tied to communes).
Units = Collection[str] | None
WORRYING = (Status.AT_RISK, Status.OFF_TRACK)


@dataclass(frozen=True)
class Finance:
    plan_year: int
    rows: list[dict[str, Any]]  # finance_report's rows, programme totals and ALL included
    total: dict[str, Any] | None  # the ALL/ALL row


@dataclass(frozen=True)
class Ntm:
    year: int
    criteria: int  # how many criteria the set in force that year has
    communes: list[dict[str, Any]]  # commune_code, parent_code, criteria_met
    mean: float | None


@dataclass(frozen=True)
class Monitoring:
    as_of: date
    targets: list[TargetStatus]
    finance: Finance | None
    ntm: Ntm | None
    # (target_id, unit_code, year) → where the observation comes from (a file, the registry)
    sources: dict[tuple[str, str, int], str] = field(default_factory=dict)
    # (target_id, unit_code) → what the registry indicator observing the target measures
    measures: dict[tuple[str, str], Indicator] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=list)  # project_report by programme

    def source_of(self, result: TargetStatus) -> str | None:
        t = result.target
        if result.latest_year is None:
            return None
        return self.sources.get((t.target_id, t.unit_code, result.latest_year))

    @property
    def empty(self) -> bool:
        return not (self.targets or self.projects) and self.finance is None and self.ntm is None


def viewer_units(scope: Scope, tied_to_communes: bool = False) -> Units:
    """The units whose rows a viewer reads: its units and their communes (None: the country's).

    Every row belongs to a unit of the registry (`scope_code`, store/monitoring_rows.py): a
    province's plans to the province, a commune's evaluation to the commune."""
    if scope.everything:
        return None
    return (scope.communes or frozenset()) | (scope.roots or frozenset())


def monitoring(connection: Connection, units: Units, as_of: date) -> Monitoring:
    observed = stored.target_indicators(connection)
    measures = {
        (t, u): INDICATORS[i]
        for t, u, i in observed.select("target_id", "unit_code", "indicator").iter_rows()
        if i in INDICATORS
    }
    return Monitoring(
        as_of,
        target_statuses(connection, units, as_of),
        finance(connection, units, as_of),
        ntm(connection, units),
        stored.observation_sources(connection, units),
        measures,
        projects(connection, units),
    )


def projects(connection: Connection, units: Units) -> list[dict[str, Any]]:
    held = stored.load_projects(connection, units)
    return [] if held.is_empty() else project_report(held).to_dicts()


def target_statuses(connection: Connection, units: Units, as_of: date) -> list[TargetStatus]:
    targets = stored.load_targets(connection, units)
    if not targets:
        return []
    return statuses(targets, stored.load_observations(connection, units), as_of.year)


def finance(connection: Connection, units: Units, as_of: date) -> Finance | None:
    """Disbursement by programme and capital type for the latest plan year stored."""
    year = stored.latest_year(connection, stored.PLANS, "plan_year", units)
    if year is None:
        return None
    plans = stored.load_plans(connection, year, units)
    paid = stored.load_disbursements(connection, year, units)
    report = finance_report(plans, paid, as_of, (), catalog.programme_codes())
    rows = report.to_dicts()
    total = next((r for r in rows if r["programme"] == ALL and r["capital_type"] == ALL), None)
    return Finance(year, rows, total)


def ntm(connection: Connection, units: Units) -> Ntm | None:
    """Criteria met per commune in the latest evaluation year stored."""
    year = stored.latest_year(connection, stored.EVALUATIONS, "year", units)
    if year is None:
        return None
    try:
        criteria = catalog.criteria_set(None, year)
    except InputError:  # no commune criteria set in force that year
        return None
    evaluations = stored.load_evaluations(connection, year, units)
    per = criteria_per_commune(evaluations, year, criteria).sort("parent_code", "commune_code")
    mean = per.select(pl.col("criteria_met").mean()).item()
    return Ntm(year, len(criteria.criteria), per.to_dicts(), mean)


def programme_names(lang: str) -> dict[str, str]:
    return {p.code: p.name_vi if lang == "vi" else p.name_en for p in catalog.programmes()}


@register
def monitoring_panel(
    connection: Connection, unit_code: str, scope: Scope, year: int | None
) -> Panel | None:
    """The unit's targets at risk or off track, and its disbursement rate, when stored."""
    units = {unit_code}
    today = date.today()
    results = target_statuses(connection, units, today)
    money = finance(connection, units, today)
    if not results and money is None:
        return None
    worrying = [r for r in results if r.status in WORRYING]
    context = {"targets": len(results), "worrying": worrying, "finance": money}
    return Panel("_monitoring_panel.html", context)


def observation_rows(
    connection: Connection, units: Units, target_id: str, unit_code: str
) -> pl.DataFrame:
    """A target's stored observations, with their sources, oldest first."""
    sources = stored.observation_sources(connection, units)
    rows = [
        (o.year, f"{o.value:f}", sources.get((o.target_id, o.unit_code, o.year), ""))
        for o in stored.load_observations(connection, units)
        if o.target_id == target_id and o.unit_code == unit_code
    ]
    schema = {"year": pl.Int32, "value": pl.String, "source": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").sort("year")

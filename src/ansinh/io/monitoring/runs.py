"""The three monitoring reports computed from files, without a database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import disbursement_curve, finance_report
from ansinh.domain.monitoring.ntm import CriteriaSet, combined_report, criteria_per_commune
from ansinh.domain.monitoring.targets import Observation, Target, TargetStatus, statuses
from ansinh.io.monitoring.finance_files import read_disbursements, read_plans
from ansinh.io.monitoring.ntm_files import read_evaluations, read_recognitions
from ansinh.io.monitoring.target_files import read_observations, read_targets

STATUS_COLUMNS = (
    "target_id",
    "unit_code",
    "status",
    "latest_year",
    "latest_value",
    "projected_value",
    "ratio",
    "reason",
)


@dataclass(frozen=True)
class FinanceRun:
    report: pl.DataFrame
    curve: pl.DataFrame
    deadline: date  # the last day the plan year's capital may be disbursed


def finance_from_files(
    plans_path: Path, disbursements_path: Path, as_of: date, by: Sequence[str] = ()
) -> FinanceRun:
    codes = catalog.programme_codes()
    plans = read_plans(plans_path, codes)
    disbursements = read_disbursements(disbursements_path, codes, plans)
    report = finance_report(plans, disbursements, as_of, by, codes)
    curve = disbursement_curve(plans, disbursements, as_of)
    plan_year = int(plans["plan_year"].max() or as_of.year)  # type: ignore[arg-type]
    deadline = date.fromisoformat(f"{plan_year + 1}-{catalog.disbursement_deadline()}")
    return FinanceRun(report, curve, deadline)


@dataclass(frozen=True)
class TargetsRun:
    results: list[TargetStatus]
    observations: list[Observation]
    source: str

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [_status_row(r) for r in self.results],
            schema={c: pl.String for c in STATUS_COLUMNS},
            orient="row",
        ).with_columns(pl.col("latest_year").cast(pl.Int32))


def _status_row(result: TargetStatus) -> tuple[str | None, ...]:
    def text(value: object) -> str | None:
        return None if value is None else f"{value:f}" if not isinstance(value, int) else str(value)

    ratio = None if result.ratio is None else round(result.ratio, 4)
    projected = None if result.projected_value is None else round(result.projected_value, 4)
    return (
        result.target.target_id,
        result.target.unit_code,
        result.status.value,
        text(result.latest_year),
        text(result.latest_value),
        text(projected),
        text(ratio),
        result.reason,
    )


def load_targets(name_or_path: str) -> tuple[list[Target], str]:
    """TARGETS.csv/.xlsx, or the id of a shipped target set (data/monitoring/targets)."""
    path = Path(name_or_path)
    if not path.exists() and name_or_path in catalog.target_set_ids():
        chosen = catalog.target_set(name_or_path)
        return list(chosen.targets), f"{chosen.id}: {chosen.name_vi}"
    return read_targets(path), str(path)


def targets_from_files(targets_arg: str, observations_path: Path, as_of: date) -> TargetsRun:
    targets, source = load_targets(targets_arg)
    observations = read_observations(observations_path, targets)
    return TargetsRun(statuses(targets, observations, as_of.year), observations, source)


@dataclass(frozen=True)
class NtmRun:
    report: pl.DataFrame
    per_commune: pl.DataFrame
    criteria: CriteriaSet


def ntm_from_files(
    evaluations_path: Path,
    year: int,
    recognitions_path: Path | None = None,
    set_id: str | None = None,
) -> NtmRun:
    criteria = catalog.criteria_set(set_id, year)
    evaluations = read_evaluations(evaluations_path, criteria)
    recognitions = read_recognitions(recognitions_path) if recognitions_path else None
    report = combined_report(evaluations, recognitions, year, criteria)
    return NtmRun(report, criteria_per_commune(evaluations, year, criteria), criteria)

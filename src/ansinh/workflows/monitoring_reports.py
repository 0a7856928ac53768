"""The monitoring reports computed from the registry's stored rows (within a reader's units),
by the same engine as the reports from files (io/monitoring/runs.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import disbursement_curve, finance_report
from ansinh.domain.monitoring.ntm import combined_report, criteria_per_commune
from ansinh.errors import InputError
from ansinh.io.monitoring.runs import FinanceRun, NtmRun
from ansinh.store import monitoring as stored
from ansinh.store.monitoring import Units


def finance_from_store(
    connection: Connection,
    plan_year: int,
    as_of: date,
    by: Sequence[str] = (),
    units: Units = None,
) -> FinanceRun:
    """Disbursement of a plan year's capital by `as_of`, from the stored plans."""
    plans = stored.load_plans(connection, plan_year, units)
    if plans.is_empty():
        raise InputError.single(
            "--plan-year", f"Sổ chưa có kế hoạch vốn năm {plan_year}",
            f"The registry holds no capital plan for {plan_year}",
        )  # fmt: skip
    paid = stored.load_disbursements(connection, plan_year, units)
    codes = catalog.programme_codes()
    report = finance_report(plans, paid, as_of, by, codes)
    deadline = date.fromisoformat(f"{plan_year + 1}-{catalog.disbursement_deadline()}")
    return FinanceRun(report, disbursement_curve(plans, paid, as_of), deadline)


def ntm_from_store(
    connection: Connection, year: int, set_id: str | None = None, units: Units = None
) -> NtmRun:
    """Criteria met per commune in `year` (the set in force that year), with recognitions."""
    criteria = catalog.criteria_set(set_id, year)
    evaluations = stored.load_evaluations(connection, year, units)
    recognitions = stored.load_recognitions(connection, units)
    report = combined_report(
        evaluations, recognitions if not recognitions.is_empty() else None, year, criteria
    )
    return NtmRun(report, criteria_per_commune(evaluations, year, criteria), criteria)

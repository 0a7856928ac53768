"""Monitoring data in the registry: audited replacement, the same reports, computed indicators."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import finance_report
from ansinh.domain.monitoring.ntm import ntm_report
from ansinh.io.monitoring.finance_files import read_disbursements, read_plans
from ansinh.io.monitoring.ntm_files import read_evaluations
from ansinh.store import monitoring as store
from ansinh.store.models import AuditEntry

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
CODES = catalog.programme_codes()


def audit_actions(engine: Engine, entity: str) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.action, func.count())
            .where(AuditEntry.entity == entity)
            .group_by(AuditEntry.action)
        ).all()
    return {action: count for action, count in rows}


def test_stored_plans_and_disbursements_give_the_file_report(engine: Engine) -> None:
    plans = read_plans(EXAMPLES / "lao-cai-2024-plans.csv", CODES)
    paid = read_disbursements(EXAMPLES / "lao-cai-2024-disbursements.csv", CODES, plans)
    with engine.begin() as connection:
        store.save_plans(connection, plans, "tester")
        store.save_disbursements(connection, paid, "tester")
    with engine.connect() as connection:
        stored_plans = store.load_plans(connection, 2024)
        stored_paid = store.load_disbursements(connection, 2024)
    as_of = date(2025, 1, 31)
    assert finance_report(stored_plans, stored_paid, as_of, (), CODES).equals(
        finance_report(plans, paid, as_of, (), CODES)
    )
    assert audit_actions(engine, "programme_plan") == {"create": 11}
    assert audit_actions(engine, "programme_disbursement") == {"create": paid.height}


def test_replacing_a_year_logs_creates_updates_and_deletes(engine: Engine) -> None:
    plans = read_plans(EXAMPLES / "lao-cai-2024-plans.csv", CODES)
    with engine.begin() as connection:
        store.save_plans(connection, plans, "tester")
    changed = plans.filter(pl.col("programme") != "ntp-new-rural").with_columns(
        pl.when(pl.col("source_year") == 2023)
        .then(pl.col("amount_vnd") + 1)
        .otherwise(pl.col("amount_vnd"))
        .alias("amount_vnd")
    )
    with engine.begin() as connection:
        counts = store.save_plans(connection, changed, "officer")
        assert store.load_plans(connection, 2024).height == changed.height
    # new-rural's 3 lines deleted; the 4 other carried-over lines (2023 sources) updated.
    assert counts == {"create": 0, "delete": 3, "update": 4}


def test_stored_evaluations_targets_and_observations_round_trip(engine: Engine) -> None:
    criteria = catalog.criteria_set(None, 2023)
    evaluations = read_evaluations(EXAMPLES / "hau-loc-ntm-evaluations.csv", criteria)
    chosen = catalog.target_set("lao-cai-ntp-2025")
    with engine.begin() as connection:
        store.save_evaluations(connection, evaluations, "tester")
        store.save_targets(connection, chosen.targets, "tester")
    with engine.connect() as connection:
        stored = store.load_evaluations(connection, 2023)
        targets = store.load_targets(connection)
    assert ntm_report(stored, 2023, criteria).equals(ntm_report(evaluations, 2023, criteria))
    assert targets == list(chosen.targets)
    assert audit_actions(engine, "monitoring_target") == {"create": len(chosen.targets)}

"""Monitoring data in the registry: audited replacement, the same reports, computed indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from tests.builders import family, survey, write_csv

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import finance_report
from ansinh.domain.monitoring.ntm import ntm_report
from ansinh.domain.monitoring.targets import Status, statuses
from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.io.monitoring.finance_files import read_disbursements, read_plans
from ansinh.io.monitoring.ntm_files import read_evaluations
from ansinh.store import monitoring as store
from ansinh.store import monitoring_indicators as indicators
from ansinh.store.models import AuditEntry
from ansinh.store.review import run_review

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


@pytest.fixture
def reviewed(engine: Engine, tmp_path: Path) -> Engine:
    """A Mông household with a meritorious member, poor; a Kinh household, average (Lào Cai)."""
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    surveys = [
        survey("H1", 1_500_000, {"water", "sanitation", "telecom"}, year=2023),
        survey("H2", 1_900_000, set(), year=2023),
    ]
    import_file(engine, write_csv(tmp_path / "s.csv", surveys), actor="tester")
    run_review(engine, 2023, load_standard("vn-2022-2025"), "tester")
    return engine


def test_registry_indicators_from_the_review(reviewed: Engine) -> None:
    with reviewed.connect() as connection:
        found = indicators.registry_indicators(connection).filter(pl.col("unit_code") == "15")
    values = dict(zip(found["indicator"], found["value"], strict=True))
    assert values == {
        "ethnic_minority_poverty_rate": 100.0,
        "meritorious_average_share": 0.0,
        "meritorious_poor_households": 1.0,
        "near_poor_rate": 0.0,
        "poverty_rate": 50.0,
    }


def test_registry_observes_the_meritorious_living_standard_target(reviewed: Engine) -> None:
    # Seed 001: 100% of meritorious households at or above average by 2030 (from 99%, 2023).
    chosen = catalog.target_set("lao-cai-2030")
    with reviewed.connect() as connection:
        seen = indicators.registry_observations(connection, chosen)
    assert [(o.target_id, o.year, o.value) for o in seen] == [
        ("lc2030-meritorious-living", 2023, Decimal("0.0"))
    ]
    (result,) = [
        r for r in statuses(chosen.targets, seen, 2024) if r.target.target_id == seen[0].target_id
    ]
    assert result.status is Status.AT_RISK  # observed in the baseline year: r undefined
    with reviewed.begin() as connection:
        store.save_observations(connection, seen, "tester")
        assert store.load_observations(connection) == seen

"""Exit plans in the registry on both backends: drafted, edited with audit, reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.builders import family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.models import AuditEntry, Household
from ansinh.store.review import run_review
from ansinh.workflows.exit_plans import PlanForm, draft, edit_plan, plans_of, plans_report

STANDARD = load_standard("vn-2022-2025")


@pytest.fixture
def planned(engine: Engine, tmp_path: Path) -> dict[str, int]:
    # H1: poor in 2024 (lacks health insurance, water, housing quality), near-poor in 2025.
    # H2: near-poor in 2024 (lacks employment), average in 2025: exited near-poverty.
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    surveys = [
        survey("H1", 1_000_000, {"health_insurance", "water", "housing_quality"}, year=2024),
        survey("H2", 1_200_000, {"employment"}, year=2024),
        survey("H1", 1_400_000, {"water"}, year=2025),
        survey("H2", 2_100_000, set(), year=2025),
    ]
    import_file(engine, write_csv(tmp_path / "s.csv", surveys), actor="tester")
    run_review(engine, 2024, STANDARD, "tester")
    assert draft(engine, 2024, "tester") == 2
    assert draft(engine, 2024, "tester") == 0  # made plans are not drafted again
    with engine.connect() as connection:
        ids = dict(connection.execute(select(Household.code, Household.id)).all())
    return ids


def test_a_drafted_plan_answers_the_household_s_deprivations(
    engine: Engine, planned: dict[str, int]
) -> None:
    with engine.connect() as connection:
        (h1,) = plans_of(connection, planned["H1"])
        (h2,) = plans_of(connection, planned["H2"])
    assert (h1.status, h1.year, h1.target_date) == ("poor", 2024, date(2025, 12, 14))
    assert {m.measure for m in h1.measures} == {
        "health_insurance_card",
        "clean_water",
        "housing_support",
    }
    card = next(m for m in h1.measures if m.measure == "health_insurance_card")
    assert (card.indicator, card.provider) == ("health_insurance", "Bảo hiểm xã hội; UBND xã")
    assert h2.causes == ("no_stable_job",) and not h2.cannot_exit
    assert {m.measure for m in h2.measures} == {"vocational_training", "job_placement"}
    assert h1.exited is None  # no 2025 review yet


def test_an_edit_is_saved_whole_and_audited(engine: Engine, planned: dict[str, int]) -> None:
    with engine.connect() as connection:
        (plan,) = plans_of(connection, planned["H1"])
    card = next(m for m in plan.measures if m.measure == "health_insurance_card")
    water = next(m for m in plan.measures if m.measure == "clean_water")
    fields = {
        "helper": "Hội Phụ nữ xã — chị Lò Thị Hoa",
        "target_date": "2025-12-14",
        "note": "Thăm hộ 03/2025",
        f"delivered_{card.id}": "2025-03-01",
        f"provider_{card.id}": "BHXH",
        "add_measure": "preferential_credit",
    }
    saved = edit_plan(
        engine,
        planned["H1"],
        plan.id,
        PlanForm(fields, ["illness", "lack_of_capital"], [str(water.id)]),
        "officer",
    )
    assert saved.causes == ("illness", "lack_of_capital") and saved.helper.startswith("Hội")
    by_code = {m.measure: m for m in saved.measures}
    assert set(by_code) == {"health_insurance_card", "housing_support", "preferential_credit"}
    assert by_code["health_insurance_card"].delivered_on == date(2025, 3, 1)
    assert by_code["preferential_credit"].provider == "Ngân hàng Chính sách xã hội"
    with engine.connect() as connection:
        entry = connection.execute(
            select(AuditEntry.__table__).where(
                AuditEntry.entity == "exit_plan", AuditEntry.action == "update"
            )
        ).one()
    assert entry.actor == "officer" and entry.household_id == planned["H1"]
    assert entry.before and "clean_water" in entry.before
    assert entry.after and "clean_water" not in entry.after and "2025-03-01" in entry.after


def test_a_bad_edit_changes_nothing(engine: Engine, planned: dict[str, int]) -> None:
    with engine.connect() as connection:
        (plan,) = plans_of(connection, planned["H1"])
    form = PlanForm({"target_date": "14/12/2025", "add_measure": "magic"}, ["luck"], [])
    with pytest.raises(InputError) as raised:
        edit_plan(engine, planned["H1"], plan.id, form, "officer")
    assert {p.column for p in raised.value.problems} == {"target_date", "add_measure", "causes"}
    with engine.connect() as connection:
        (again,) = plans_of(connection, planned["H1"])
    assert again == plan
    with pytest.raises(InputError):  # another household's plan is not this household's
        edit_plan(engine, planned["H2"], plan.id, PlanForm({}, [], []), "officer")


def test_no_one_able_to_work_is_marked_and_reported_apart(
    engine: Engine, planned: dict[str, int]
) -> None:
    with engine.connect() as connection:
        (plan,) = plans_of(connection, planned["H2"])
    fields = {"target_date": "2025-12-14"}
    saved = edit_plan(engine, planned["H2"], plan.id, PlanForm(fields, ["no_labour"], []), "x")
    assert saved.cannot_exit
    with engine.connect() as connection:
        report = plans_report(connection, 2024, "15", "commune")
    total = report.filter(report["unit_code"] == "15").row(0, named=True)
    assert (total["plans"], total["cannot_exit"]) == (2, 1)


def test_the_next_review_follows_the_plans_up(engine: Engine, planned: dict[str, int]) -> None:
    run_review(engine, 2025, STANDARD, "tester")
    with engine.connect() as connection:
        (h1,) = plans_of(connection, planned["H1"])
        (h2,) = plans_of(connection, planned["H2"])
        report = plans_report(connection, 2024, "15", "commune")
    assert (h1.next_status, h1.exited) == ("near_poor", True)  # poor → near-poor: exited poverty
    assert (h2.next_status, h2.exited) == ("average", True)
    rows = {r["unit_code"]: r for r in report.iter_rows(named=True)}
    assert rows["15"]["followed_up"] == rows["15"]["exited"] == 2
    assert rows["04465"]["plans"] == rows["04456"]["plans"] == 1
    assert rows["15"]["measures"] == 5 and rows["15"]["delivered"] == 0

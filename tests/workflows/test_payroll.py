"""Payroll runs: prepared from decisions, approved, paid; a month is never paid twice; arrears
of a late decision and recoveries after a late-reported death carried into the next run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, select
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, write_csv
from tests.workflows.test_decisions import EVERYWHERE, decisions, war_invalid

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.members import remove_member
from ansinh.store.models import Person
from ansinh.store.payroll_models import PaymentLine
from ansinh.store.scope import scope_for
from ansinh.workflows import payroll
from ansinh.workflows.decisions import import_decisions_file

JULY, AUGUST, SEPTEMBER, OCTOBER = (date(2024, m, 1) for m in (7, 8, 9, 10))


@pytest.fixture
def decided(engine: Engine, tmp_path: Path) -> Engine:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    import_decisions_file(
        engine, decisions(tmp_path / "d.csv", war_invalid()), actor="clerk", scope=EVERYWHERE
    )
    return engine


def lines(engine: Engine, run_id: int) -> set[tuple[str, str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                PaymentLine.category, PaymentLine.month, PaymentLine.kind, PaymentLine.amount
            ).where(PaymentLine.run_id == run_id)
        ).all()
    return {(c, f"{m:%Y-%m}", k, a) for c, m, k, a in rows}


def run_of(prepared: payroll.Prepared, commune: str = KHAO_MANG) -> int:
    return int(prepared.runs.filter(pl.col("commune_code") == commune)["run_id"].item())


def pay_everything(engine: Engine, run_id: int) -> None:
    payroll.approve(engine, run_id, "province", EVERYWHERE)
    with engine.connect() as connection:
        ids = list(connection.scalars(select(PaymentLine.id).where(PaymentLine.run_id == run_id)))
    payroll.mark(engine, run_id, ids, "paid", "officer", EVERYWHERE)


def test_a_first_run_pays_the_month_and_settles_nothing_before_it(decided: Engine) -> None:
    first = payroll.prepare(decided, JULY, [KHAO_MANG], "officer")
    assert lines(decided, run_of(first)) == {
        ("war_invalid", "2024-07", "due", 7_240_000),
        ("war_invalid_81_supplement", "2024-07", "due", 1_399_000),
    }
    again = payroll.prepare(decided, JULY, [KHAO_MANG], "officer")
    assert again.total_vnd == first.total_vnd == 8_639_000
    pay_everything(decided, run_of(again))
    locked = payroll.prepare(decided, JULY, [KHAO_MANG], "officer")
    assert locked.skipped == [KHAO_MANG] and locked.runs.is_empty()
    august = payroll.prepare(decided, AUGUST, [KHAO_MANG], "officer")
    assert {k for _, _, k, _ in lines(decided, run_of(august))} == {"due"}


def test_a_late_decision_owes_arrears_from_its_first_month(decided: Engine, tmp_path: Path) -> None:
    pay_everything(decided, run_of(payroll.prepare(decided, JULY, [KHAO_MANG], "officer")))
    late = {
        "person_id": "P1",
        "programme": "social_assistance",
        "category": "disabled",
        "decision_no": "7/QĐ-UBND",
        "decision_date": "2024-08-05",
        "start_month": "2024-05",
    }
    import_decisions_file(
        decided, decisions(tmp_path / "late.csv", late), actor="clerk", scope=EVERYWHERE
    )
    august = lines(decided, run_of(payroll.prepare(decided, AUGUST, [KHAO_MANG], "officer")))
    assert {line for line in august if line[0] == "disabled"} == {
        ("disabled", "2024-05", "arrears", 540_000),
        ("disabled", "2024-06", "arrears", 540_000),
        ("disabled", "2024-07", "arrears", 750_000),
        ("disabled", "2024-08", "due", 750_000),
    }


def test_a_death_reported_late_is_recovered_in_the_next_run(
    decided: Engine, tmp_path: Path
) -> None:
    for month in (JULY, AUGUST, SEPTEMBER):
        pay_everything(decided, run_of(payroll.prepare(decided, month, [KHAO_MANG], "officer")))
    died = war_invalid(end_month="2024-08", end_reason="death")
    import_decisions_file(
        decided, decisions(tmp_path / "end.csv", died), actor="clerk", scope=EVERYWHERE
    )
    october = payroll.prepare(decided, OCTOBER, [KHAO_MANG], "officer")
    assert lines(decided, run_of(october)) == {
        ("war_invalid", "2024-09", "recovery", -7_240_000),
        ("war_invalid_81_supplement", "2024-09", "recovery", -1_399_000),
    }


def test_a_line_not_collected_is_owed_again(decided: Engine) -> None:
    july = run_of(payroll.prepare(decided, JULY, [KHAO_MANG], "officer"))
    payroll.approve(decided, july, "province", EVERYWHERE)
    with decided.connect() as connection:
        ids = list(connection.scalars(select(PaymentLine.id).where(PaymentLine.run_id == july)))
    payroll.mark(decided, july, ids, "not_collected", "officer", EVERYWHERE)
    august = lines(decided, run_of(payroll.prepare(decided, AUGUST, [KHAO_MANG], "officer")))
    assert ("war_invalid", "2024-07", "arrears", 7_240_000) in august


def test_only_a_prepared_run_is_approved_and_only_within_scope(decided: Engine) -> None:
    run = run_of(payroll.prepare(decided, JULY, [KHAO_MANG], "officer"))
    with decided.connect() as connection:
        elsewhere = scope_for(connection, (MU_CANG_CHAI,))
    with pytest.raises(LookupError):
        payroll.approve(decided, run, "someone", elsewhere)
    with pytest.raises(InputError):
        payroll.mark(decided, run, [1], "paid", "officer", EVERYWHERE)
    payroll.approve(decided, run, "province", EVERYWHERE)
    with pytest.raises(InputError):
        payroll.approve(decided, run, "province", EVERYWHERE)


def test_a_what_if_base_moves_coefficients_and_printed_levels_alike(decided: Engine) -> None:
    """Social assistance is base x coefficient; the meritorious annexes print amounts, which a
    what-if moves in proportion to the base."""
    from ansinh.workflows.budget import WhatIf, budget_impact

    now = budget_impact(decided, [KHAO_MANG], JULY, WhatIf())
    doubled = budget_impact(
        decided, [KHAO_MANG], JULY, WhatIf(bases=(("meritorious_base", 2 * 2_789_000.0),))
    )
    assert now.by_commune["allowances_now"].item() == 12 * (7_240_000 + 1_399_000)
    assert doubled.by_commune["allowances_what_if"].item() == 2 * 12 * (7_240_000 + 1_399_000)


def test_a_settled_month_is_not_computed_again_but_a_changed_rule_is(decided: Engine) -> None:
    """A run looks back only where a past month can be owed differently; under other rules
    (a base raised back to a paid month) it looks back again."""
    from ansinh.store.payroll_models import PaymentRun

    pay_everything(decided, run_of(payroll.prepare(decided, JULY, [KHAO_MANG], "officer")))
    august = payroll.prepare(decided, AUGUST, [KHAO_MANG], "officer")
    assert {m for _, m, _, _ in lines(decided, run_of(august))} == {"2024-08"}
    with decided.begin() as connection:  # as if July had been computed under older rules
        connection.execute(PaymentRun.__table__.update().values(rules_version="older"))
        connection.execute(
            PaymentLine.__table__.update()
            .where(PaymentLine.month == JULY)
            .values(amount=7_000_000)
            .where(PaymentLine.category == "war_invalid")
        )
    again = payroll.prepare(decided, AUGUST, [KHAO_MANG], "officer")
    assert ("war_invalid", "2024-07", "arrears", 240_000) in lines(decided, run_of(again))


def test_a_paid_person_stays_in_the_registry_with_the_lines(decided: Engine) -> None:
    """A line's person is not checked by PostgreSQL (migration 0030): the person is kept
    because removing a member refuses anyone who holds a benefit or a payment."""
    run_id = run_of(payroll.prepare(decided, JULY, [KHAO_MANG], "officer"))
    with decided.begin() as connection:
        household_id = connection.scalar(select(Person.household_id).where(Person.code == "P4"))
        assert household_id is not None
        with pytest.raises(InputError, match="chế độ hoặc khoản chi trả"):
            remove_member(connection, household_id, "P4", "đã chuyển đi", "officer")
    assert len(lines(decided, run_id)) == 2

"""Programme capital: rates at a date, oldest-allocation-first spending, carry-over arithmetic."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.domain.monitoring.finance import (
    DISBURSEMENT_SCHEMA,
    PLAN_SCHEMA,
    allocate,
    disbursement_curve,
    finance_report,
)

EM, NR = "ntp-ethnic-minority", "ntp-new-rural"


def plans(*rows: tuple[str, str, int, int, int]) -> pl.DataFrame:
    """(programme, capital_type, plan_year, source_year, amount)."""
    return pl.DataFrame(
        [(p, c, y, s, "15", "", a) for p, c, y, s, a in rows], schema=PLAN_SCHEMA, orient="row"
    )


def paid(*rows: tuple[str, str, int, date, int]) -> pl.DataFrame:
    return pl.DataFrame(
        [(p, c, y, "15", "", d, a) for p, c, y, d, a in rows],
        schema=DISBURSEMENT_SCHEMA,
        orient="row",
    )


def row(report: pl.DataFrame, programme: str, capital_type: str) -> dict[str, object]:
    found = report.filter(
        (pl.col("programme") == programme) & (pl.col("capital_type") == capital_type)
    )
    return found.row(0, named=True)


def test_carry_over_is_what_is_left_of_the_years_own_allocation() -> None:
    # Law on Public Investment 39/2019/QH14 art. 68: 2023 capital carried into 2024 lapses at
    # the end of 2024, so disbursements spend it first; what is left of 2024's own can carry.
    plan = plans((EM, "investment", 2024, 2023, 300), (EM, "investment", 2024, 2024, 1_000))
    spent = paid(
        (EM, "investment", 2024, date(2024, 6, 1), 500),
        (EM, "investment", 2024, date(2025, 1, 20), 200),
    )
    lines = allocate(plan, spent, date(2025, 1, 31)).sort("source_year")
    assert lines["disbursed_vnd"].to_list() == [300, 400]
    assert lines["remaining_vnd"].to_list() == [0, 600]
    total = row(finance_report(plan, spent, date(2025, 1, 31)), EM, "investment")
    assert (total["plan_vnd"], total["disbursed_vnd"], total["carry_over_vnd"]) == (1300, 700, 600)
    assert (total["expiring_vnd"], total["carry_over_share"]) == (0, 0.4615)


def test_unspent_carried_in_capital_expires_rather_than_carries() -> None:
    plan = plans((EM, "recurrent", 2024, 2023, 300), (EM, "recurrent", 2024, 2024, 1_000))
    spent = paid((EM, "recurrent", 2024, date(2024, 6, 1), 100))
    total = row(finance_report(plan, spent, date(2025, 1, 31)), EM, "recurrent")
    assert (total["expiring_vnd"], total["carry_over_vnd"]) == (200, 1_000)


def test_rate_at_any_date_ignores_later_disbursements() -> None:
    plan = plans((NR, "investment", 2024, 2024, 3))
    spent = paid(
        (NR, "investment", 2024, date(2024, 3, 1), 1),
        (NR, "investment", 2024, date(2024, 9, 1), 1),
    )
    assert row(finance_report(plan, spent, date(2024, 2, 29)), NR, "investment")["rate"] == 0.0
    assert row(finance_report(plan, spent, date(2024, 3, 1)), NR, "investment")["rate"] == 0.3333
    # 2/3 = 0.66666…: half-up to four decimals.
    assert row(finance_report(plan, spent, date(2024, 12, 31)), NR, "ALL")["rate"] == 0.6667


def test_totals_rows_and_order() -> None:
    plan = plans(
        (NR, "recurrent", 2024, 2024, 100),
        (EM, "investment", 2024, 2024, 100),
        (EM, "recurrent", 2024, 2024, 200),
    )
    spent = paid((EM, "recurrent", 2024, date(2024, 5, 1), 150))
    report = finance_report(plan, spent, date(2024, 12, 31), programme_order=[EM, NR])
    keys = list(zip(report["programme"], report["capital_type"], strict=True))
    assert keys == [
        (EM, "investment"),
        (EM, "recurrent"),
        (EM, "ALL"),
        (NR, "recurrent"),
        (NR, "ALL"),
        ("ALL", "investment"),
        ("ALL", "recurrent"),
        ("ALL", "ALL"),
    ]
    assert row(report, "ALL", "ALL")["rate"] == 0.375


def test_split_by_unit_and_project() -> None:
    plan = pl.DataFrame(
        [
            (EM, "investment", 2024, 2024, "15", "DA1", 100),
            (EM, "investment", 2024, 2024, "15", "DA2", 300),
        ],
        schema=PLAN_SCHEMA,
        orient="row",
    )
    spent = pl.DataFrame(
        [(EM, "investment", 2024, "15", "DA2", date(2024, 5, 1), 150)],
        schema=DISBURSEMENT_SCHEMA,
        orient="row",
    )
    report = finance_report(plan, spent, date(2024, 12, 31), by=["project"])
    da2 = report.filter((pl.col("project") == "DA2") & (pl.col("programme") == EM))
    assert da2["capital_type"].to_list() == ["investment", "ALL"]
    assert da2["rate"].to_list() == [0.5, 0.5]


def test_curve_is_cumulative_share_of_plan() -> None:
    plan = plans((EM, "investment", 2024, 2024, 100), (EM, "recurrent", 2024, 2024, 100))
    spent = paid(
        (EM, "investment", 2024, date(2024, 2, 1), 10),
        (EM, "investment", 2024, date(2024, 3, 1), 30),
        (EM, "recurrent", 2024, date(2024, 3, 1), 20),
    )
    curve = disbursement_curve(plan, spent, date(2024, 12, 31))
    every = curve.filter(pl.col("capital_type") == "ALL").sort("date")
    assert every["share"].to_list() == [0.05, 0.3]

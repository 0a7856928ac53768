"""FIGURES 002 (Lào Cai, national target programmes 2024): disbursement and new-rural figures.

The article: central-budget capital 2024 (with 2023's carried over) about 2,419 billion VND;
1,782 billion disbursed by 31 January 2025 = 73.7%; investment 87.2%, recurrent 63.3%;
ethnic-minority NTP 71.3%, new-rural 80.7%, poverty-reduction 77.1%; investment to carry over
into 2025 about 134.6 billion = 12.8% of the allocation. New rural: 62 communes meet the
standard, 4 advanced, 12.63 criteria per commune (+0.61 on 2023); 252 NTM villages and 204
model villages in total. The example files (data/monitoring/examples) are built to these.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl
import pytest

from ansinh.io.monitoring.runs import finance_from_files, ntm_from_files

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
BILLION = 1_000_000_000


@pytest.fixture(scope="module")
def finance() -> pl.DataFrame:
    run = finance_from_files(
        EXAMPLES / "lao-cai-2024-plans.csv",
        EXAMPLES / "lao-cai-2024-disbursements.csv",
        date(2025, 1, 31),
    )
    assert run.deadline == date(2025, 1, 31)  # Law on Public Investment 2019, art. 68
    return run.report


def line(report: pl.DataFrame, programme: str, capital_type: str) -> dict[str, object]:
    chosen = report.filter(
        (pl.col("programme") == programme) & (pl.col("capital_type") == capital_type)
    )
    return chosen.row(0, named=True)


def test_total_plan_disbursed_and_rate(finance: pl.DataFrame) -> None:
    total = line(finance, "ALL", "ALL")
    assert round(total["plan_vnd"] / BILLION) == 2_419  # type: ignore[operator]
    assert round(total["disbursed_vnd"] / BILLION) == 1_782  # type: ignore[operator]
    assert round(total["rate"], 3) == 0.737  # type: ignore[call-overload]


@pytest.mark.parametrize(("capital_type", "rate"), [("investment", 0.872), ("recurrent", 0.633)])
def test_rate_by_capital_type(finance: pl.DataFrame, capital_type: str, rate: float) -> None:
    assert round(line(finance, "ALL", capital_type)["rate"], 3) == rate  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("programme", "rate"),
    [("ntp-ethnic-minority", 0.713), ("ntp-new-rural", 0.807), ("ntp-poverty-reduction", 0.771)],
)
def test_rate_by_programme(finance: pl.DataFrame, programme: str, rate: float) -> None:
    assert round(line(finance, programme, "ALL")["rate"], 3) == rate  # type: ignore[call-overload]


def test_investment_carried_over_into_2025(finance: pl.DataFrame) -> None:
    investment = line(finance, "ALL", "investment")
    assert round(investment["carry_over_vnd"] / BILLION, 1) == 134.6  # type: ignore[operator]
    assert round(investment["carry_over_share"], 3) == 0.128  # type: ignore[call-overload]


def test_a_disbursement_after_the_as_of_date_is_ignored() -> None:
    later = finance_from_files(
        EXAMPLES / "lao-cai-2024-plans.csv",
        EXAMPLES / "lao-cai-2024-disbursements.csv",
        date(2025, 3, 31),
    ).report
    assert round(line(later, "ALL", "ALL")["disbursed_vnd"] / BILLION, 2) == 1_807.05  # type: ignore[operator]


def ntm_total(year: int) -> dict[str, object]:
    run = ntm_from_files(
        EXAMPLES / "lao-cai-ntm-evaluations.csv", year, EXAMPLES / "lao-cai-ntm-recognitions.csv"
    )
    assert run.criteria.id == "ntm-commune-2021-2025"  # Decision 318/QD-TTg 2022
    return run.report.filter(pl.col("parent_code") == "ALL").row(0, named=True)


def test_communes_meeting_the_standard_and_criteria_per_commune() -> None:
    y2024, y2023 = ntm_total(2024), ntm_total(2023)
    assert (y2024["communes_meeting_all"], y2024["communes_recognised"]) == (62, 62)
    assert y2024["criteria_met_mean"] == 12.63
    assert round(y2024["criteria_met_mean"] - y2023["criteria_met_mean"], 2) == 0.61  # type: ignore[operator]


def test_advanced_communes_and_villages() -> None:
    y2024 = ntm_total(2024)
    assert y2024["communes_advanced"] == 4
    assert (y2024["villages_recognised"], y2024["villages_model"]) == (252, 204)
    # 2024 added one NTM village and three model villages.
    y2023 = ntm_total(2023)
    assert (y2023["villages_recognised"], y2023["villages_model"]) == (251, 201)

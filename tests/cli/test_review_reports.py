"""`ansinh report flows|form`, `ansinh plans draft|report`, `ansinh review whatif` and
`ansinh classify` under a provisional standard, end to end on a SQLite registry."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.builders import INDICATORS, family, survey, write_csv
from tests.cli.conftest import Cli


@pytest.fixture
def reviewed(cli: Cli, tmp_path: Path) -> Cli:
    assert cli("import", str(write_csv(tmp_path / "h.csv", family()))).exit_code == 0
    years = [
        survey("H1", 1_200_000, {"water", "sanitation", "telecom"}, year=2024),
        survey("H2", 1_900_000, set(), year=2024),
        survey("H1", 1_400_000, {"water"}, year=2025),
        survey("H2", 1_000_000, {"water", "sanitation", "employment"}, year=2025),
    ]
    assert cli("import", str(write_csv(tmp_path / "s.csv", years))).exit_code == 0
    for year in ("2024", "2025"):
        assert cli("review", "--year", year).exit_code == 0
    return cli


def test_flows_as_csv_and_as_the_form(reviewed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "flows.csv"
    result = reviewed("report", "flows", "--unit", "15", "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = {r["unit_code"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["15"]["exited_poverty"] == "1" and rows["15"]["fell_into_poverty"] == "1"
    form = tmp_path / "flows.xlsx"
    assert (
        reviewed(
            "report", "form", "flows", "--unit", "15", "--year", "2025", "-o", str(form)
        ).exit_code
        == 0
    )
    assert form.stat().st_size > 3000
    movements = tmp_path / "poor_movements.xlsx"
    args = ("--unit", "15", "--year", "2025", "-o", str(movements))
    assert reviewed("report", "form", "poor_movements", *args).exit_code == 0
    assert movements.stat().st_size > 3000
    missing = reviewed("report", "flows", "--unit", "15", "--year", "2024")
    assert missing.exit_code == 2 and "2023" in missing.output
    unknown = reviewed("report", "form", "nope", "--unit", "15", "--year", "2025", "-o", str(form))
    assert unknown.exit_code == 2


def test_plans_drafted_and_reported(reviewed: Cli, tmp_path: Path) -> None:
    drafted = reviewed("plans", "draft", "--year", "2024")
    assert drafted.exit_code == 0 and "1 kế hoạch" in drafted.output
    out = tmp_path / "plans.csv"
    result = reviewed("plans", "report", "--unit", "15", "--year", "2024", "-o", str(out))
    assert result.exit_code == 0, result.output
    total = next(r for r in csv.DictReader(out.open(encoding="utf-8")) if r["unit_code"] == "15")
    # H1 poor in 2024, near-poor in 2025: followed up and exited poverty.
    assert (total["plans"], total["followed_up"], total["exited"]) == ("1", "1", "1")


def test_what_if_says_the_standard_is_provisional(reviewed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "whatif.csv"
    result = reviewed(
        "review",
        "whatif",
        "--unit",
        "15",
        "--year",
        "2025",
        "--standard",
        "vn-2027-2030",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "PROVISIONAL" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["provisional"] for r in rows} == {"true"}
    assert (
        reviewed(
            "review", "whatif", "--unit", "15", "--year", "2025", "--standard", "nope"
        ).exit_code
        == 2
    )


def test_classify_under_a_provisional_standard_warns(cli: Cli, tmp_path: Path) -> None:
    rows = [
        {"household_id": "H1", "area": "rural", "income_per_capita": "2000000"}
        | {f"deprived_{k}": "0" for k in [*INDICATORS, "waste"]}
    ]
    out = tmp_path / "out.csv"
    result = cli(
        "classify",
        str(write_csv(tmp_path / "in.csv", rows)),
        "--standard",
        "vn-2027-2030",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "PROVISIONAL" in result.output
    assert next(csv.DictReader(out.open(encoding="utf-8")))["provisional"] == "true"


def test_plans_for_an_unknown_commune_are_refused(reviewed: Cli) -> None:
    result = reviewed("plans", "draft", "--year", "2024", "--commune", "99999'")
    assert result.exit_code == 2 and "99999" in result.output
    assert reviewed("plans", "draft", "--year", "2024", "--commune", "04465").exit_code == 0

"""The YAML rule cases of cases/*.yaml: programmes from 2026 and the new-rural criteria sets.

Each case names its citation; a legal officer can read and add one without Python. Files are
written and read through the same readers as `ansinh finance report` and `ansinh ntm report`.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import DISBURSEMENT_SCHEMA, finance_report
from ansinh.domain.monitoring.ntm import ntm_report
from ansinh.errors import InputError
from ansinh.io.monitoring.finance_files import read_disbursements, read_plans
from ansinh.io.monitoring.ntm_files import read_evaluations

CASES = Path(__file__).parent / "cases"
PLAN_COLUMNS = ["programme", "capital_type", "plan_year", "source_year", "unit_code", "amount_vnd"]
PAID_COLUMNS = ["programme", "capital_type", "plan_year", "unit_code", "date", "amount_vnd"]


def cases(name: str) -> list[Any]:
    found = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    for case in found:
        assert case["citation"], case["name"]
    return [pytest.param(c, id=c["name"]) for c in found]


def write(path: Path, columns: list[str], rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def check_error(error: InputError, expected: dict[str, Any]) -> None:
    (problem,) = error.problems
    assert (problem.row, problem.column) == (expected["row"], expected["column"])
    assert expected["says"] in problem.reason_en


@pytest.mark.parametrize("case", cases("programmes-2026.yaml"))
def test_programmes_from_2026(case: dict[str, Any], tmp_path: Path) -> None:
    codes = catalog.programme_codes()
    plans_file = write(tmp_path / "plans.csv", PLAN_COLUMNS, case["plans"])
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(InputError) as error:
            read_plans(plans_file, codes)
        check_error(error.value, expected["error"])
        return
    plans = read_plans(plans_file, codes)
    paid_file = write(tmp_path / "paid.csv", PAID_COLUMNS, case.get("disbursements", []))
    paid = (
        read_disbursements(paid_file, codes, plans)
        if case.get("disbursements")
        else pl.DataFrame(schema=DISBURSEMENT_SCHEMA)
    )
    as_of = case.get("as_of", date(2026, 12, 31))
    report = finance_report(plans, paid, as_of, (), codes).filter(pl.col("capital_type") == "ALL")
    for programme, values in expected["report"].items():
        row = report.filter(pl.col("programme") == programme).row(0, named=True)
        assert {k: row[k] for k in values} == values, programme


@pytest.mark.parametrize("case", cases("ntm-2026-2030.yaml"))
def test_new_rural_criteria_by_year(case: dict[str, Any], tmp_path: Path) -> None:
    year = case["year"]
    rows = [
        {"commune_code": commune, "parent_code": "P", "year": year, "criterion": n, "met": 1}
        for commune, met in case["communes"].items()
        for n in met
    ]
    file = write(tmp_path / "e.csv", ["commune_code", "parent_code", "year", "criterion", "met"],
                 rows)  # fmt: skip
    expected = case["expected"]
    in_force = lambda y: catalog.criteria_set(None, y)  # noqa: E731
    if "error" in expected:
        with pytest.raises(InputError) as error:
            read_evaluations(file, in_force)
        check_error(error.value, expected["error"])
        return
    criteria = in_force(year)
    assert (criteria.id, len(criteria.criteria)) == (expected["criteria_set"], expected["criteria"])
    total = ntm_report(read_evaluations(file, in_force), year, criteria).filter(
        pl.col("parent_code") == "ALL"
    )
    row = total.row(0, named=True)
    for key in ("communes", "communes_meeting_all", "criteria_met_mean"):
        assert row[key] == expected[key], key

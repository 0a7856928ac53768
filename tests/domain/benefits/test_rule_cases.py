"""The legal cases of cases/*.yaml, each run through `ansinh benefits calc`'s own path.

A case lists people as rows of BENEFICIARIES.csv, the months, and every row the law pays (and,
with payments, every arrears row); a legal officer can read and add one without Python.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansinh.domain.benefits.loader import shipped_rules
from ansinh.errors import InputError
from ansinh.io.benefits_file import calc_file, parse_month

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "citation", "months", "people", "paid", "expected", "arrears", "error"}
BENEFICIARY_HEADER = [
    "person_id",
    "birth_date",
    "programme",
    "category",
    "start_month",
    "end_month",
    "injury_rate",
    "children",
]


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert set(case) <= CASE_KEYS and {"name", "citation", "months", "people"} <= set(
                case
            ), f"{path.name}: {case.get('name')}: unknown or missing keys"
            found.append(pytest.param(case, id=f"{path.stem}: {case['name'][:60]}"))
    return found


def _write(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows({k: str(row.get(k, "")) for k in header} for row in rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _matches(expected: dict[str, Any], row: dict[str, str]) -> bool:
    return all(_same(value, row[key]) for key, value in expected.items())


def _same(expected: Any, written: str) -> bool:
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return written != "" and abs(float(written) - float(expected)) < 1e-9
    return str(expected) == written


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any], tmp_path: Path) -> None:
    people = _write(tmp_path / "b.csv", BENEFICIARY_HEADER, case["people"])
    paid = None
    if "paid" in case:
        header = ["person_id", "month", "programme", "amount_paid"]
        paid = _write(tmp_path / "paid.csv", header, case["paid"])
    first, last = (parse_month(str(m), "months") for m in case["months"])
    out, arrears = tmp_path / "out.csv", tmp_path / "arrears.csv"
    run = lambda: calc_file(  # noqa: E731
        people, first, last, out, shipped_rules(), paid, arrears if paid else None
    )
    if "error" in case:
        with pytest.raises(InputError) as error:
            run()
        assert (case["error"]["row"], case["error"]["column"]) in [
            (p.row, p.column) for p in error.value.problems
        ], error.value.summary()
        assert not out.exists()
        return
    run()
    written = _read(out)
    assert len(written) == len(case["expected"]), written
    for expected in case["expected"]:
        assert any(_matches(expected, row) for row in written), (expected, written)
    if "arrears" in case:
        balances = _read(arrears)
        assert len(balances) == len(case["arrears"]), balances
        for expected in case["arrears"]:
            assert any(_matches(expected, row) for row in balances), (expected, balances)

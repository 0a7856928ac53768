"""`ansinh benefits calc` as DESIGN.md's "Monthly benefits" contract says, and its bad inputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.cli.conftest import Cli

HEADER = "person_id,birth_date,programme,category,start_month,end_month,injury_rate\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_calc_writes_the_contract_columns_and_arrears(cli: Cli, tmp_path: Path) -> None:
    people = write(
        tmp_path / "b.csv",
        HEADER
        + "A,1990-05-01,social_assistance,disabled,2024-06,,\n"
        + "B,1950,meritorious,war_invalid,2024-06,2024-07,81\n",
    )
    paid = write(
        tmp_path / "p.csv",
        "person_id,month,programme,amount_paid\nA,2024-07,social_assistance,540000\n"
        "B,2024-08,meritorious,7240000\n",
    )
    out, arrears = tmp_path / "out.csv", tmp_path / "arrears.csv"
    result = cli(
        "benefits",
        "calc",
        str(people),
        "--from",
        "2024-06",
        "--to",
        "2024-08",
        "-o",
        str(out),
        "--paid",
        str(paid),
        "--arrears",
        str(arrears),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "person_id",
        "month",
        "programme",
        "category",
        "base",
        "coefficient",
        "amount",
    ]
    assert {(r["person_id"], r["month"], r["category"], r["amount"]) for r in rows} == {
        ("A", "2024-06", "disabled", "540000"),
        ("A", "2024-07", "disabled", "750000"),
        ("A", "2024-08", "disabled", "750000"),
        ("B", "2024-06", "war_invalid", "5335000"),
        ("B", "2024-06", "war_invalid_81_supplement", "1031000"),
        ("B", "2024-07", "war_invalid", "7240000"),
        ("B", "2024-07", "war_invalid_81_supplement", "1399000"),
    }
    balances = list(csv.DictReader(arrears.open(encoding="utf-8")))
    assert list(balances[0]) == ["person_id", "month", "programme", "due", "paid", "balance"]
    recovered = [b for b in balances if b["person_id"] == "B" and b["month"] == "2024-08"]
    assert recovered == [
        {
            "person_id": "B",
            "month": "2024-08",
            "programme": "meritorious",
            "due": "0",
            "paid": "7240000",
            "balance": "-7240000",
        }
    ]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("A,1990,social_assistance,no_such_category,2024-01,,", "category"),
        ("A,1990,no_such_programme,disabled,2024-01,,", "programme"),
        ("A,1990,social_assistance,disabled,2024-05,2024-03,", "end_month"),
        ("A,1990,social_assistance,disabled,2024/05,,", "start_month"),
        ("A,2020-01-01,social_assistance,child_under3_poor,2024-01,,", "birth_date"),
        ("A,,social_assistance,disabled,2024-01,,", "birth_date"),
        ("A,1950,meritorious,war_invalid,2024-01,,15", "injury_rate"),
        ("A,1950,meritorious,war_invalid,2024-01,,abc", "injury_rate"),
    ],
)
def test_bad_rows_exit_2_naming_row_and_column_and_write_nothing(
    cli: Cli, tmp_path: Path, row: str, column: str
) -> None:
    people = write(
        tmp_path / "b.csv", HEADER + "Z,1980,social_assistance,disabled,2024-01,,\n" + row + "\n"
    )
    out = tmp_path / "out.csv"
    result = cli(
        "benefits", "calc", str(people), "--from", "2024-06", "--to", "2024-08", "-o", str(out)
    )
    assert result.exit_code == 2, result.output
    assert f"dòng/row 3, cột/column {column}" in result.output
    assert not out.exists()


def test_a_payment_to_someone_with_no_entitlement_is_an_error(cli: Cli, tmp_path: Path) -> None:
    people = write(tmp_path / "b.csv", HEADER + "A,1980,social_assistance,disabled,2024-01,,\n")
    paid = write(
        tmp_path / "p.csv",
        "person_id,month,programme,amount_paid\nX,2024-06,social_assistance,750000\n",
    )
    out, arrears = tmp_path / "out.csv", tmp_path / "arrears.csv"
    result = cli(
        "benefits",
        "calc",
        str(people),
        "--from",
        "2024-06",
        "--to",
        "2024-06",
        "-o",
        str(out),
        "--paid",
        str(paid),
        "--arrears",
        str(arrears),
    )
    assert result.exit_code == 2
    assert "p.csv, dòng/row 2, cột/column person_id" in result.output
    assert not out.exists() and not arrears.exists()


def test_a_local_programme_is_a_file(cli: Cli, tmp_path: Path) -> None:
    local = write(
        tmp_path / "local.yaml",
        """
programme: ha_giang_top_up
name_vi: Hỗ trợ thêm hằng tháng
name_en: Monthly top-up
base: social_assistance_standard
pays: highest
periodicity: monthly
last_value_still_valid_on: "2026-12-01"
references: [{id: nq-1, title: Nghị quyết HĐND (ví dụ)}]
categories:
  - code: elderly_top_up
    name_vi: Người cao tuổi
    name_en: Elderly person
    reference: nq-1
    eligibility: {age_from: 80}
    levels:
      "2025-01-01": {reference: nq-1, coefficient: 0.2}
""",
    )
    people = write(tmp_path / "b.csv", HEADER + "A,1930,ha_giang_top_up,elderly_top_up,2025-01,,\n")
    out = tmp_path / "out.csv"
    result = cli(
        "benefits",
        "calc",
        str(people),
        "--from",
        "2025-01",
        "--to",
        "2025-01",
        "-o",
        str(out),
        "--programme",
        str(local),
    )
    assert result.exit_code == 0, result.output
    assert "A,2025-01,ha_giang_top_up,elderly_top_up,500000,0.2,100000" in out.read_text()


def test_a_broken_programme_file_names_its_line(cli: Cli, tmp_path: Path) -> None:
    local = write(tmp_path / "bad.yaml", "programme: x\nname_vi: X\nname_en: X\npays: sometimes\n")
    people = write(tmp_path / "b.csv", HEADER + "A,1930,x,y,2025-01,,\n")
    result = cli(
        "benefits",
        "calc",
        str(people),
        "--from",
        "2025-01",
        "--to",
        "2025-01",
        "-o",
        str(tmp_path / "o.csv"),
        "--programme",
        str(local),
    )
    assert result.exit_code == 2
    assert "bad.yaml, dòng/row 4, cột/column pays" in result.output


def test_an_unknown_payroll_run_is_exit_2(cli: Cli) -> None:
    assert cli("init").exit_code == 0
    for args in (
        ("approve", "999"),
        ("mark", "999", "--status", "paid"),
        ("export", "999", "-o", "x.xlsx"),
    ):
        result = cli("benefits", "payroll", *args)
        assert result.exit_code == 2 and "No such run" in result.output, args

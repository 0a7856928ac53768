"""Bad monitoring files: every problem names file, row and column, and nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from ansinh.errors import InputError, Problem
from ansinh.io.monitoring.runs import finance_from_files, ntm_from_files, targets_from_files

PLAN_HEADER = "programme,capital_type,plan_year,source_year,unit_code,amount_vnd"
PAID_HEADER = "programme,capital_type,plan_year,unit_code,date,amount_vnd"
GOOD_PLAN = "ntp-new-rural,investment,2024,2024,15,1000"


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems_of(error: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in error.value.problems]


def finance(tmp_path: Path, plan_lines: list[str], paid_lines: list[str]) -> list[Problem]:
    plans = write(tmp_path / "PLANS.csv", PLAN_HEADER, *plan_lines)
    paid = write(tmp_path / "DISBURSEMENTS.csv", PAID_HEADER, *paid_lines)
    with pytest.raises(InputError) as error:
        finance_from_files(plans, paid, date(2025, 1, 31))
    return error.value.problems


def test_unknown_programme_and_negative_amount_in_plans(tmp_path: Path) -> None:
    found = finance(
        tmp_path,
        ["ntp-roads,investment,2024,2024,15,1000", "ntp-new-rural,recurrent,2024,2024,15,-5"],
        [],
    )
    assert [(p.file.endswith("PLANS.csv"), p.row, p.column) for p in found] == [
        (True, 2, "programme"),
        (True, 3, "amount_vnd"),
    ]
    assert "ntp-roads" in found[0].reason_en and "ntp-roads" in found[0].reason_vi


def test_source_year_after_plan_year(tmp_path: Path) -> None:
    found = finance(tmp_path, ["ntp-new-rural,investment,2024,2025,15,1000"], [])
    assert [(p.row, p.column) for p in found] == [(2, "source_year")]


def test_bad_date_and_no_plan_line_in_disbursements(tmp_path: Path) -> None:
    found = finance(
        tmp_path,
        [GOOD_PLAN],
        [
            "ntp-new-rural,investment,2024,15,2024-02-30,10",
            "ntp-new-rural,investment,2024,15,31/01/2025,1",
        ],
    )
    assert [(p.row, p.column) for p in found] == [(2, "date"), (3, "date")]
    found = finance(tmp_path, [GOOD_PLAN], ["ntp-new-rural,recurrent,2024,15,2024-03-01,10"])
    assert [(p.file.endswith("DISBURSEMENTS.csv"), p.row, p.column) for p in found] == [
        (True, 2, "programme")
    ]
    assert "ntp-new-rural/recurrent/2024/15" in found[0].reason_en


def test_disbursement_above_plan_names_the_row_that_crosses_it(tmp_path: Path) -> None:
    # In date order: 600 (row 3), 900 (row 2), 1,100 (row 4) > 1,000 planned.
    found = finance(
        tmp_path,
        [GOOD_PLAN],
        [
            "ntp-new-rural,investment,2024,15,2024-09-01,300",
            "ntp-new-rural,investment,2024,15,2024-03-01,600",
            "ntp-new-rural,investment,2024,15,2024-12-01,200",
        ],
    )
    assert [(p.row, p.column) for p in found] == [(4, "amount_vnd")]
    assert "1100" in found[0].reason_en and "1000" in found[0].reason_en


def test_targets_and_observations_checks(tmp_path: Path) -> None:
    targets = write(
        tmp_path / "TARGETS.csv",
        "target_id,target_value,comparator,tolerance,deadline_year,unit_code,baseline_value,baseline_year",
        "a,80,at_least,,2030,15,40,2020",
        "b,1.2,about,,2030,15,,",
        "c,x,more_than,,30,15,1,",
    )
    with pytest.raises(InputError) as error:
        targets_from_files(
            str(targets),
            write(tmp_path / "O.csv", "target_id,unit_code,year,value"),
            date(2025, 1, 1),
        )
    assert problems_of(error) == [
        (3, "tolerance"),
        (4, "baseline_year"),
        (4, "comparator"),
        (4, "deadline_year"),
        (4, "target_value"),
    ]


def test_unknown_target_and_bad_value_in_observations(tmp_path: Path) -> None:
    good = write(
        tmp_path / "T.csv",
        "target_id,target_value,comparator,deadline_year,unit_code",
        "a,80,at_least,2030,15",
    )
    observations = write(
        tmp_path / "O.csv", "target_id,unit_code,year,value", 'a,15,2024,"1,5"', "zz,15,2024,3"
    )
    with pytest.raises(InputError) as error:
        targets_from_files(str(good), observations, date(2025, 1, 1))
    assert problems_of(error) == [(2, "value"), (3, "target_id")]


def test_evaluations_checks(tmp_path: Path) -> None:
    path = write(
        tmp_path / "EVALUATIONS.csv",
        "commune_code,parent_code,year,criterion,met",
        "X,D1,2024,20,1",
        "X,D2,2024,1,yes",
        "X,D1,2024,2,1",
    )
    with pytest.raises(InputError) as error:
        ntm_from_files(path, 2024)
    assert problems_of(error) == [
        (2, "criterion"),
        (2, "parent_code"),
        (3, "met"),
        (3, "parent_code"),
        (4, "parent_code"),
    ]


def test_xlsx_input_reports_the_sheet_row(tmp_path: Path) -> None:
    path = tmp_path / "EVALUATIONS.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, values in enumerate(
        [
            ["commune_code", "parent_code", "year", "criterion", "met"],
            ["X", "D", 2024, 1, 1],
            ["X", "D", 2024, 2, 2],
        ]
    ):
        sheet.write_row(r, 0, values)
    workbook.close()
    with pytest.raises(InputError) as error:
        ntm_from_files(path, 2024)
    assert problems_of(error) == [(3, "met")]

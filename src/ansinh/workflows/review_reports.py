"""The review's reports from stored results: the year's flows, and the report forms as XLSX.

A year's result is its current run under the standard in force that year (what-ifs under other
standards are kept apart and never reported as the year's result).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from ansinh.errors import InputError
from ansinh.io.report_forms import FormHeading, load_forms, write_form
from ansinh.store.flows import FlowsReport, flows_report, reviewed_years
from ansinh.store.reports import PovertyReport, poverty_report
from ansinh.store.review import RunInfo
from ansinh.store.units import unit_names
from ansinh.workflows.exit_plans import plans_report
from ansinh.workflows.review_years import standard_of_year, year_results

FORM_IDS = tuple(load_forms())
# The forms drawn from the year's flows (households and, in the movement forms, people).
FLOW_FORMS = ("flows", "poor_movements", "near_poor_movements")


def _need_run(runs: dict[int, RunInfo], year: int) -> RunInfo:
    if year not in runs:
        standard = standard_of_year(year)
        name = standard.id if standard else "?"
        raise InputError.single(
            "--year",
            f"Chưa có kết quả rà soát năm {year} theo chuẩn {name}; "
            f"hãy chạy `ansinh review --year {year}`",
            f"No review of {year} under {name}; run `ansinh review --year {year}`",
        )
    return runs[year]


def _need_unit(connection: Connection, unit: str) -> str:
    names = unit_names(connection, {unit})
    if unit not in names:
        raise InputError.single("--unit", f"Không có đơn vị '{unit}'", f"No unit '{unit}'")
    return names[unit]


def year_flows(connection: Connection, year: int, unit: str, level: str) -> FlowsReport:
    """The flows from year − 1 to year for the units at `level` under `unit`, and its total."""
    _need_unit(connection, unit)
    runs = year_results(connection, [y for y in reviewed_years(connection) if y <= year])
    now, before = _need_run(runs, year), _need_run(runs, year - 1)
    earlier = [run for y, run in runs.items() if y < year - 1]
    return flows_report(connection, now, before, earlier, unit, level)


def year_summary(connection: Connection, year: int, unit: str, level: str) -> PovertyReport:
    _need_unit(connection, unit)
    run = _need_run(year_results(connection, [year]), year)
    return poverty_report(connection, run, unit, level)


def write_report_form(
    connection: Connection, form_id: str, year: int, unit: str, level: str, target: Path
) -> int:
    """The form for `unit` and its units at `level`; returns the rows (units) written."""
    forms = load_forms()
    if form_id not in forms:
        raise InputError.single(
            "FORM", f"Không có mẫu '{form_id}'", f"No form '{form_id}': {', '.join(forms)}"
        )
    name = _need_unit(connection, unit)
    if form_id in FLOW_FORMS:
        flows = year_flows(connection, year, unit, level)
        frame, run = flows.rows, flows.now
    elif form_id == "plans":
        run = _need_run(year_results(connection, [year]), year)
        frame = plans_report(connection, year, unit, level)
    else:
        report = year_summary(connection, year, unit, level)
        frame, run = report.rows, report.run
    rows, total = _split_total(frame, unit)
    heading = FormHeading(name, year, run.standard_id, run.provisional, _made_on(date.today()))
    write_form(forms[form_id], rows, total, heading, target)
    return rows.height


def _split_total(frame: pl.DataFrame, unit: str) -> tuple[pl.DataFrame, dict[str, object]]:
    totals = frame.filter(pl.col("unit_code") == unit)
    if totals.height == 0:
        raise InputError.single("--unit", f"Không có số liệu cho {unit}", f"No figures for {unit}")
    return frame.filter(pl.col("unit_code") != unit), totals.row(0, named=True)


def _made_on(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

"""Monitoring commands: target status, programme capital disbursement, new-rural criteria."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.domain.monitoring.finance import BY_CHOICES
from ansinh.domain.monitoring.targets import STATUS_ORDER, Status, rollup
from ansinh.errors import InputError
from ansinh.io.monitoring.charts import (
    chart_format,
    criteria_chart,
    disbursement_chart,
    target_chart,
)
from ansinh.io.monitoring.export import SHARES, write_report
from ansinh.io.monitoring.runs import finance_from_files, ntm_from_files, targets_from_files
from ansinh.store import monitoring as stored
from ansinh.workflows.monitoring_reports import finance_from_store, ntm_from_store

targets_app = typer.Typer(help="Mục tiêu chính sách / policy targets", no_args_is_help=True)
finance_app = typer.Typer(help="Vốn chương trình MTQG / programme capital", no_args_is_help=True)
ntm_app = typer.Typer(help="Nông thôn mới / new-rural criteria", no_args_is_help=True)
app.add_typer(targets_app, name="targets")
app.add_typer(finance_app, name="finance")
app.add_typer(ntm_app, name="ntm")
FORMATS = ("table", "csv", "xlsx")
BY_HELP = ", ".join(BY_CHOICES)

AsOf = Annotated[str, typer.Option("--as-of", help="Ngày / date, YYYY-MM-DD")]
Output = Annotated[Path | None, typer.Option("-o", "--output", help="OUT.csv | OUT.xlsx")]
Format = Annotated[
    str | None, typer.Option("--format", help="table | csv | xlsx (mặc định theo -o / from -o)")
]
Chart = Annotated[Path | None, typer.Option("--chart", help="Biểu đồ / chart, .png or .svg")]


@targets_app.command("status")
@report_input_errors
def targets_status(
    targets: Annotated[str, typer.Argument(help="TARGETS.csv/.xlsx, or a shipped set id")],
    observations: Annotated[Path, typer.Argument(help="OBSERVATIONS.csv/.xlsx")],
    as_of: AsOf,
    output: Output = None,
    format_: Format = None,
    chart: Chart = None,
) -> None:
    """Tình trạng từng mục tiêu / the status of every target and unit at a date."""
    day, kind = _day("--as-of", as_of), _format(format_, output)
    _check_chart(chart)
    run = targets_from_files(targets, observations, day)
    frame = run.frame()
    title = f"Tình trạng mục tiêu đến {day} / target status at {day}"
    _emit(frame, kind, output, title, [f"Nguồn / source: {run.source}"])
    if kind == "table":
        _print_rollup(rollup(run.results))
    if chart is not None:
        target_chart(run.results, run.observations, chart)
        console.print(f"→ {chart}")


@finance_app.command("report")
@report_input_errors
def finance_report(
    as_of: AsOf,
    plans: Annotated[
        Path | None, typer.Argument(help="PLANS.csv/.xlsx (none: the registry's plans)")
    ] = None,
    disbursements: Annotated[Path | None, typer.Argument(help="DISBURSEMENTS.csv/.xlsx")] = None,
    plan_year: Annotated[
        int | None,
        typer.Option("--plan-year", help="Năm kế hoạch trong sổ / plan year in the registry"),
    ] = None,
    output: Output = None,
    format_: Format = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Chia thêm / also split by: " + ", ".join(BY_CHOICES)),
    ] = None,
    chart: Chart = None,
) -> None:
    """Giải ngân vốn các CTMTQG / disbursement of programme capital at a date."""
    day, kind = _day("--as-of", as_of), _format(format_, output)
    _check_chart(chart)
    for name in by or []:
        _check_choice("--by", name, BY_CHOICES)
    if plans is None or disbursements is None:
        if plans is not None:
            raise InputError.single(
                "DISBURSEMENTS", "Cần cả tệp giải ngân", "The disbursements file is needed too"
            )
        with open_engine().connect() as connection:
            year = plan_year or _latest_plan_year(connection, day)
            run = finance_from_store(connection, year, day, by or [])
    else:
        run = finance_from_files(plans, disbursements, day, by or [])
    provisional = " (trước hạn giải ngân / before the deadline)" if day < run.deadline else ""
    title = f"Giải ngân đến {day} / disbursed by {day}{provisional}"
    notes = [f"Hạn giải ngân / disbursement deadline: {run.deadline}"]
    _emit(run.report, kind, output, title, notes)
    if chart is not None:
        disbursement_chart(run.curve, chart, title)
        console.print(f"→ {chart}")


@ntm_app.command("report")
@report_input_errors
def ntm_report(
    year: Annotated[int, typer.Option("--year", help="Năm đánh giá / year")],
    evaluations: Annotated[
        Path | None, typer.Argument(help="EVALUATIONS.csv/.xlsx (none: the registry's)")
    ] = None,
    output: Output = None,
    format_: Format = None,
    recognitions: Annotated[
        Path | None, typer.Option(help="RECOGNITIONS.csv: mức đạt chuẩn / levels recognised")
    ] = None,
    criteria_set: Annotated[
        str | None, typer.Option("--criteria-set", help="Bộ tiêu chí / criteria set id")
    ] = None,
    chart: Chart = None,
) -> None:
    """Tiêu chí nông thôn mới theo đơn vị / new-rural criteria met, by unit."""
    kind = _format(format_, output)
    _check_chart(chart)
    if evaluations is None:
        with open_engine().connect() as connection:
            run = ntm_from_store(connection, year, criteria_set)
    else:
        run = ntm_from_files(evaluations, year, recognitions, criteria_set)
    title = f"Nông thôn mới năm {year} — {run.criteria.name_vi}"
    notes = [f"Bộ tiêu chí / criteria set: {run.criteria.id} ({run.criteria.source})"]
    _emit(run.report, kind, output, title, notes)
    if chart is not None:
        criteria_chart(run.per_commune, chart, title, len(run.criteria.criteria))
        console.print(f"→ {chart}")


def _latest_plan_year(connection: Connection, day: date) -> int:
    """The latest plan year stored up to the as-of date's year."""
    years = stored.plan_years(connection)
    chosen = [y for y in years if y <= day.year]
    if not chosen:
        raise InputError.single(
            "--plan-year", "Sổ chưa có kế hoạch vốn", "The registry holds no capital plan"
        )
    return chosen[-1]


def _emit(
    frame: pl.DataFrame, kind: str, output: Path | None, title: str, notes: list[str]
) -> None:
    if kind == "table":
        _print_table(frame, title, notes)
        return
    if output is None:
        raise InputError.single(
            "--output", f"Cần -o cho định dạng {kind}", f"-o is needed for --format {kind}"
        )
    target = output if output.suffix.lower() == f".{kind}" else output.with_suffix(f".{kind}")
    write_report(target, frame, title, notes)
    console.print(f"{frame.height:,} dòng / rows → {target}")


def _print_table(frame: pl.DataFrame, title: str, notes: list[str]) -> None:
    table = Table(title=title, caption=" · ".join(notes))
    for name in frame.columns:
        table.add_column(name, justify="left" if frame[name].dtype == pl.String else "right")
    for row in frame.iter_rows(named=True):
        table.add_row(*[_cell(name, value) for name, value in row.items()])
    Console(width=max(Console().width, 140)).print(table)


def _print_rollup(counts: dict[str, dict[Status, int]]) -> None:
    table = Table(title="Theo nhóm / by group")
    table.add_column("group")
    for status in STATUS_ORDER:
        table.add_column(status.value, justify="right")
    for group, row in counts.items():
        table.add_row(group, *(str(row[s]) for s in STATUS_ORDER))
    Console(width=max(Console().width, 120)).print(table)


def _cell(name: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and name in SHARES:
        return f"{value:.1%}"
    if isinstance(value, int) and name.endswith("_vnd"):
        return f"{value / 1e9:,.1f} tỷ"
    return str(value)


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError.single(
            option, f"Ngày không hợp lệ (cần YYYY-MM-DD): '{text}'", f"Invalid date: '{text}'"
        ) from None


def _format(format_: str | None, output: Path | None) -> str:
    """--format, else from -o's suffix (.xlsx or .csv), else the terminal table."""
    if format_ is None:
        if output is None:
            return "table"
        return "xlsx" if output.suffix.lower() == ".xlsx" else "csv"
    _check_choice("--format", format_, FORMATS)
    return format_


def _check_chart(chart: Path | None) -> None:
    if chart is not None:
        chart_format(chart)


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError.single(
            option,
            f"Phải là một trong: {', '.join(choices)}",
            f"Must be one of: {', '.join(choices)}",
        )

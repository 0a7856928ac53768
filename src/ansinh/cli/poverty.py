"""Poverty commands: classify files, Alkire-Foster measures, the yearly review, reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console, JustifyMethod
from rich.table import Table

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.config import get_settings
from ansinh.domain.poverty import PovertyStandard, load_standard
from ansinh.domain.rounding import half_up
from ansinh.errors import InputError
from ansinh.io.classify_file import classify_file
from ansinh.io.mpi_file import mpi_file
from ansinh.io.posting_files import write_posting
from ansinh.io.report_export import is_rate, write_csv, write_xlsx
from ansinh.store.monitoring_indicators import feed_targets
from ansinh.store.posting import posted_list
from ansinh.store.reports import PovertyReport, poverty_report
from ansinh.store.review import current_run, run_review
from ansinh.store.review_stages import is_draft
from ansinh.store.scope import scope_for
from ansinh.store.units import unit_names
from ansinh.workflows.posting import write_postings
from ansinh.workflows.review_run import check_standard, standard_for_year

report_app = typer.Typer(help="Báo cáo / reports", no_args_is_help=True)
app.add_typer(report_app, name="report")
FORMATS = ("table", "csv", "xlsx")
LEVELS = ("country", "province", "district", "commune", "village")
GROUPS = ("all", "ethnicity", "ethnic_minority", "meritorious", "meritorious_can_work")


@app.command("classify")
@report_input_errors
def classify(
    households: Annotated[Path, typer.Argument(help="HOUSEHOLDS.csv")],
    output: Annotated[Path, typer.Option("-o", "--output", help="OUT.csv")],
    standard: Annotated[
        str, typer.Option(help="Chuẩn nghèo / standard id or file")
    ] = "vn-2022-2025",
) -> None:
    """Phân loại hộ theo chuẩn nghèo, không cần CSDL / classify households from a file."""
    chosen = _standard(standard)
    rows = classify_file(households, chosen, output)
    console.print(f"{rows:,} hộ / households → {output}")
    if chosen.provisional:
        console.print(provisional_warning(chosen))


@app.command("mpi")
@report_input_errors
def mpi(
    matrix: Annotated[Path, typer.Argument(help="MATRIX.csv (unit_id, weight?, 0/1 columns)")],
    weights: Annotated[Path, typer.Option(help="WEIGHTS.json: indicator → weight")],
    k: Annotated[str, typer.Option("--k", help="Ngưỡng / cutoff, e.g. 1/3 or 0.33")],
    output: Annotated[Path, typer.Option("-o", "--output", help="SUMMARY.json")],
) -> None:
    """Chỉ số nghèo đa chiều Alkire-Foster / Alkire-Foster measures of a 0/1 matrix."""
    result = mpi_file(matrix, weights, k, output)
    console.print(f"H={result.H:.4f} A={result.A:.4f} M0={result.M0:.4f} → {output}")


review_app = typer.Typer(
    help="Rà soát hộ nghèo / the yearly review", invoke_without_command=True, no_args_is_help=True
)
app.add_typer(review_app, name="review")


@review_app.callback()
@report_input_errors
def review(
    context: typer.Context,
    year: Annotated[int | None, typer.Option(help="Năm rà soát / review year")] = None,
    standard: Annotated[
        str | None, typer.Option(help="Chuẩn khác chuẩn đang áp dụng / another standard (what-if)")
    ] = None,
) -> None:
    """Rà soát hộ nghèo cả năm trên sổ / the yearly review over the registry.

    `ansinh review --year Y` classifies every household's latest questionnaire of the year under
    the standard in force (or --standard), stores the results and aggregates every unit at every
    level; `ansinh review post ...` writes a commune's lists to post publicly.
    """
    if context.invoked_subcommand is not None:
        return
    if year is None:
        raise InputError.single("--year", "Cần --year", "--year is required")
    chosen = _standard(standard) if standard else standard_for_year(year)
    check_standard(chosen)
    engine = open_engine()
    with console.status(f"Rà soát / reviewing {year} ({chosen.id})…"):
        reviewed = run_review(engine, year, chosen, get_settings().actor)
    if reviewed.households == 0:
        console.print(f"Không có phiếu rà soát năm {year} / no questionnaires for {year}")
        raise typer.Exit(2)
    with engine.begin() as connection:  # the targets the registry observes get this review
        fed = feed_targets(connection, get_settings().actor)
    if fed["create"] or fed["update"]:
        console.print(
            f"Mục tiêu / targets: {fed['create'] + fed['update']:,} số liệu quan sát từ sổ / "
            "observations from the registry"
        )
    note = " (chuẩn tạm thời / provisional standard)" if chosen.provisional else ""
    console.print(
        f"{reviewed.households:,} hộ đã phân loại / households classified, {chosen.id}{note}"
    )


@review_app.command("post")
@report_input_errors
def review_post(
    commune: Annotated[str, typer.Option(help="Mã xã / commune code")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv, .xlsx or .pdf")],
) -> None:
    """Danh sách niêm yết công khai / the lists a commune posts publicly.

    Poor, near-poor, exited poverty and exited near-poverty households of the year's current
    results: village, head of household's name and status, nothing else (no ID, birth date or
    income). Before the village meeting is recorded (`ansinh review stage --stage
    village_meeting`) the lists are a draft, and the XLSX and PDF say so.
    """
    engine = open_engine()
    with engine.connect() as connection:
        names = unit_names(connection, {commune})
        if commune not in names:
            raise InputError.single(
                "--commune", f"Không có xã '{commune}'", f"No commune '{commune}'"
            )
        lists = posted_list(connection, commune, year)
        draft = is_draft(connection, commune, year)
    write_posting(lists, output, names[commune], year, draft=draft)
    console.print(f"{lists.height:,} dòng / rows → {output}")


@review_app.command("post-all")
@report_input_errors
def review_post_all(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code, e.g. 15")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Thư mục / folder")],
    kind: Annotated[str, typer.Option("--format", help="csv | xlsx | pdf")] = "xlsx",
) -> None:
    """Danh sách niêm yết của mọi xã / every commune's lists to post, one file a commune.

    The lists of `ansinh review post` for each commune of the unit, as
    FOLDER/niem-yet-CODE-YEAR.xlsx (or .csv, .pdf); each file whole or not at all.
    """
    if kind not in ("csv", "xlsx", "pdf"):
        raise InputError.single("--format", "Định dạng: csv, xlsx hoặc pdf", "csv, xlsx or pdf")
    with open_engine().connect() as connection:
        communes = scope_for(connection, (unit,)).communes
        if not communes:
            raise InputError.single("--unit", f"Không có đơn vị '{unit}'", f"No unit '{unit}'")
        written = write_postings(connection, sorted(communes), year, output, f".{kind}")
    console.print(f"{len(written):,} xã / communes → {output}")


@report_app.command("poverty")
@report_input_errors
def report_poverty(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code, e.g. 15 or VN")],
    level: Annotated[
        str, typer.Option(help="Cấp liệt kê / level to list: " + ", ".join(LEVELS))
    ] = "commune",
    year: Annotated[int | None, typer.Option(help="Năm / year (latest if omitted)")] = None,
    standard: Annotated[str | None, typer.Option(help="Chuẩn / standard id")] = None,
    group: Annotated[str, typer.Option(help="Nhóm / group: " + ", ".join(GROUPS))] = "all",
    format_: Annotated[str, typer.Option("--format", help="table | csv | xlsx")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Tệp / file")] = None,
) -> None:
    """Báo cáo kết quả rà soát / the review's report for a unit and the units below it."""
    _check_choice("--format", format_, FORMATS)
    _check_choice("--level", level, LEVELS)
    _check_choice("--group", group, GROUPS)
    engine = open_engine()
    with engine.connect() as connection:
        run = current_run(connection, year, standard)
        if run is None:
            raise InputError.single(
                "registry",
                "Chưa có kết quả rà soát; hãy chạy `ansinh review --year Y`",
                "No review results yet; run `ansinh review --year Y`",
            )
        report = poverty_report(connection, run, unit, level, group)
    if report.rows.height == 0:
        raise InputError.single(
            "--unit", f"Không có số liệu cho đơn vị {unit}", f"No figures for unit {unit}"
        )
    _emit(report, format_, output)


def _emit(report: PovertyReport, format_: str, output: Path | None) -> None:
    provisional = " — CHUẨN TẠM THỜI / PROVISIONAL STANDARD" if report.run.provisional else ""
    title = f"Kết quả rà soát năm {report.run.year} — chuẩn {report.run.standard_id}{provisional}"
    if format_ == "table":
        _print_table(report, title)
        return
    target = output or Path(f"poverty-{report.unit_code}-{report.run.year}.{format_}")
    rows = report.rows.with_columns(pl.lit(report.run.standard_id).alias("standard"))
    if report.run.provisional:
        rows = rows.with_columns(pl.lit("true").alias("provisional"))
    if format_ == "csv":
        write_csv(target, rows)
    else:
        notes = [f"Nhóm / group: {report.group_kind}", f"Ngày lập / made on {date.today()}"]
        write_xlsx(target, rows, title, notes)
    console.print(f"→ {target}")


# The terminal shows the headline figures; CSV and XLSX carry every column.
TABLE_COLUMNS = {
    "unit_code": "Mã / code",
    "unit_name": "Đơn vị / unit",
    "group_value": "Nhóm / group",
    "households": "Hộ / hh",
    "poor_households": "Nghèo / poor",
    "poor_rate": "%",
    "near_poor_households": "Cận nghèo / near",
    "near_poor_rate": "%",
    "people": "Khẩu / people",
    "mpi_m0": "M0",
}


def _print_table(report: PovertyReport, title: str) -> None:
    table = Table(title=title, caption="--format csv | xlsx: mọi cột / every column")
    columns = [c for c in TABLE_COLUMNS if c in report.rows.columns]
    if report.group_kind == "all":
        columns.remove("group_value")
    for name in columns:
        justify: JustifyMethod = (
            "left" if name in ("unit_code", "unit_name", "group_value") else "right"
        )
        table.add_column(TABLE_COLUMNS[name], justify=justify, overflow="fold")
    for row in report.rows.select(columns).iter_rows(named=True):
        table.add_row(*[_cell(name, value) for name, value in row.items()])
    Console(width=max(Console().width, 120)).print(table)


def _cell(name: str, value: object) -> str:
    if isinstance(value, float) and is_rate(name):  # as the web writes it: 9,32 %
        return f"{half_up(value, 2, scale=100):.2f}".replace(".", ",") + " %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError.single(
            option,
            f"Phải là một trong: {', '.join(choices)}",
            f"Must be one of: {', '.join(choices)}",
        )


def provisional_warning(standard: PovertyStandard) -> str:
    """What every output under a provisional standard says (issue 15 item 7)."""
    return (
        f"[bold yellow]CHUẨN TẠM THỜI / PROVISIONAL STANDARD[/]: {standard.id} — "
        "chưa phải chuẩn đang áp dụng, chỉ để so sánh / not the standard in force, for "
        "comparison only"
    )


def _standard(name: str) -> PovertyStandard:
    try:
        return load_standard(name)
    except (LookupError, FileNotFoundError) as error:
        raise InputError.single(
            name, f"Không có chuẩn này: {error}", f"No such standard: {error}"
        ) from None

"""`ansinh report flows|form` and `ansinh review whatif`: movements, forms, two standards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.cli.poverty import LEVELS, provisional_warning, report_app, review_app
from ansinh.domain.poverty.flows import LISTED_FLOWS
from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output
from ansinh.io.whatif_files import by_commune, heading, write_whatif
from ansinh.store.flows import FlowsReport
from ansinh.workflows.review_reports import FORM_IDS, write_report_form, year_flows
from ansinh.workflows.whatif import what_if


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise InputError.single(
            "--level",
            f"Phải là một trong: {', '.join(LEVELS)}",
            f"Must be one of: {', '.join(LEVELS)}",
        )


@report_app.command("flows")
@report_input_errors
def report_flows(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code, e.g. 15")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year (against the year before)")],
    level: Annotated[str, typer.Option(help="Cấp liệt kê / level to list")] = "commune",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=".csv or .xlsx")] = None,
) -> None:
    """Diễn biến hộ nghèo, cận nghèo so với năm trước / poverty flows on the year before.

    Households that exited poverty or near-poverty, fell into poverty, fell back into it (poor
    in an earlier year, not last year, poor now), newly near-poor, by unit; from the stored
    results of each year under the standard in force that year.
    """
    check_level(level)
    if output is not None and output.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError.single(str(output), "Tệp phải là .csv hoặc .xlsx", "Use .csv or .xlsx")
    with open_engine().connect() as connection:
        if output is not None and output.suffix.lower() == ".xlsx":
            rows = write_report_form(connection, "flows", year, unit, level, output)
            console.print(f"{rows:,} đơn vị / units → {output}")
            return
        flows = year_flows(connection, year, unit, level)
    if output is None:
        _print(flows)
        return
    with atomic_output(output) as tmp:
        cells.write_csv(flows.rows, tmp)
    console.print(f"{flows.rows.height:,} dòng / rows → {output}")


def _print(flows: FlowsReport) -> None:
    before = flows.before.year if flows.before else "–"
    title = f"Diễn biến / flows {before} → {flows.year} ({flows.now.standard_id})"
    table = Table(title=title)
    table.add_column("Đơn vị / unit")
    shown = [f for f in LISTED_FLOWS if f.key != "exited_poverty_to_near_poor"]
    for flow in shown:
        table.add_column(f"{flow.name_vi} / {flow.name_en}", justify="right", overflow="fold")
    for row in flows.rows.iter_rows(named=True):
        table.add_row(row["unit_name"], *(f"{row[f.key]:,}".replace(",", ".") for f in shown))
    Console(width=max(Console().width, 200)).print(table)


@report_app.command("form")
@report_input_errors
def report_form(
    form: Annotated[str, typer.Argument(help="Mẫu / form: " + ", ".join(FORM_IDS))],
    unit: Annotated[str, typer.Option(help="Mã đơn vị báo cáo / reporting unit")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx")],
    level: Annotated[str, typer.Option(help="Cấp liệt kê / level of the rows")] = "commune",
) -> None:
    """Mẫu biểu báo cáo kết quả rà soát (XLSX) / a report form of the review as XLSX.

    The layouts are data (src/ansinh/data/review/report_forms.yaml): `summary` (poor and
    near-poor households by unit), `flows` (the year's movements by unit), `poor_movements`
    and `near_poor_movements` (the movements of each list, households and people, in the
    layout of provincial outputs) and `plans` (households' exit plans).
    """
    check_level(level)
    with open_engine().connect() as connection:
        rows = write_report_form(connection, form, year, unit, level, output)
    console.print(f"{rows:,} đơn vị / units → {output}")


@review_app.command("whatif")
@report_input_errors
def review_whatif(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code")],
    year: Annotated[int, typer.Option(help="Năm của phiếu / the questionnaires' year")],
    standard: Annotated[str, typer.Option(help="Chuẩn so sánh / the other standard")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help=".csv or .xlsx")] = None,
) -> None:
    """So sánh hai chuẩn nghèo trên cùng phiếu / the year under the standard in force and another.

    Households that change status, by commune, with H, A and M0 under both standards; nothing
    is stored. Under a provisional standard the output says so.
    """
    with open_engine().connect() as connection:
        found = what_if(connection, year, unit, standard)
    result = found.result
    for line in heading(result, year, found.unit_name):
        console.print(line, markup=False)
    if result.provisional:
        console.print(
            provisional_warning(result.other if result.other.provisional else result.base)
        )
    if output is not None:
        write_whatif(result, found.names, year, found.unit_name, output)
        console.print(f"→ {output}")
        return
    frame = by_commune(result, found.names)
    table = Table(title=f"{result.base.id} → {result.other.id}")
    for name in (
        "unit_name",
        "households",
        "poor_base",
        "poor_other",
        "near_poor_base",
        "near_poor_other",
        "changed",
        "mpi_m0_base",
        "mpi_m0_other",
    ):
        table.add_column(name, justify="left" if name == "unit_name" else "right")
    for row in frame.iter_rows(named=True):
        table.add_row(
            row["unit_name"],
            *(
                f"{row[n]:,}"
                for n in (
                    "households",
                    "poor_base",
                    "poor_other",
                    "near_poor_base",
                    "near_poor_other",
                    "changed",
                )
            ),
            f"{row['mpi_m0_base']:.4f}",
            f"{row['mpi_m0_other']:.4f}",
        )
    Console(width=max(Console().width, 160)).print(table)

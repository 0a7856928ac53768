"""`ansinh plans`: household poverty-exit plans, drafted after a review and reported by unit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.cli.review_reports import check_level
from ansinh.config import get_settings
from ansinh.domain.poverty.exit_plans import PLAN_COUNTS
from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output
from ansinh.workflows.exit_plans import draft, plans_report
from ansinh.workflows.review_reports import write_report_form

plans_app = typer.Typer(
    help="Kế hoạch thoát nghèo của hộ / household exit plans", no_args_is_help=True
)
app.add_typer(plans_app, name="plans")


@plans_app.command("draft")
@report_input_errors
def plans_draft(
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    commune: Annotated[
        list[str] | None, typer.Option(help="Mã xã / commune code (all if omitted)")
    ] = None,
) -> None:
    """Lập dự thảo kế hoạch cho hộ nghèo, cận nghèo chưa có / draft the year's plans.

    For each poor and near-poor household of the year's review without a plan: the causes the
    review and the registry show (no one able to work, many dependents, no stable job) and the
    measures of the catalogue that answer its deprived indicators; an officer then completes
    it on the household's page. Plans already made are left as they are.
    """
    made = draft(open_engine(), year, get_settings().actor, commune or None)
    console.print(f"{made:,} kế hoạch mới / new plans, {year}")


@plans_app.command("report")
@report_input_errors
def plans_report_command(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code")],
    year: Annotated[int, typer.Option(help="Năm của kế hoạch / the plans' review year")],
    level: Annotated[str, typer.Option(help="Cấp liệt kê / level to list")] = "commune",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=".csv or .xlsx")] = None,
) -> None:
    """Kế hoạch đã lập, biện pháp đã thực hiện, hộ đã thoát / plans, measures, exits by unit.

    Households where no member can work are counted apart (cannot_exit).
    """
    check_level(level)
    suffix = output.suffix.lower() if output else None
    if suffix not in (None, ".csv", ".xlsx"):
        raise InputError.single(str(output), "Tệp phải là .csv hoặc .xlsx", "Use .csv or .xlsx")
    with open_engine().connect() as connection:
        if output is not None and suffix == ".xlsx":
            rows = write_report_form(connection, "plans", year, unit, level, output)
            console.print(f"{rows:,} đơn vị / units → {output}")
            return
        found = plans_report(connection, year, unit, level)
    if found.height == 0:
        raise InputError.single("--unit", f"Chưa có kế hoạch năm {year}", f"No plans for {year}")
    if output is None:
        table = Table(title=f"Kế hoạch thoát nghèo / exit plans {year}")
        table.add_column("Đơn vị / unit")
        for name in PLAN_COUNTS:
            table.add_column(name, justify="right")
        for row in found.iter_rows(named=True):
            table.add_row(row["unit_name"], *(f"{row[n]:,}".replace(",", ".") for n in PLAN_COUNTS))
        Console(width=max(Console().width, 140)).print(table)
        return
    with atomic_output(output) as tmp:
        cells.write_csv(found.select("unit_code", "unit_name", "level", *PLAN_COUNTS), tmp)
    console.print(f"{found.height:,} dòng / rows → {output}")

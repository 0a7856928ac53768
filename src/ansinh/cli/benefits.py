"""Benefit commands: monthly amounts owed from a file; payrolls, cards and coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.config import get_settings
from ansinh.domain.benefits.loader import load_programme_file, shipped_rules
from ansinh.io.benefits_file import calc_file, parse_month
from ansinh.store.scope import Scope
from ansinh.workflows.decisions import import_decisions_file

benefits_app = typer.Typer(help="Chế độ trợ cấp / benefits", no_args_is_help=True)
app.add_typer(benefits_app, name="benefits")


@benefits_app.command("calc")
@report_input_errors
def calc(
    beneficiaries: Annotated[Path, typer.Argument(help="BENEFICIARIES.csv")],
    first: Annotated[str, typer.Option("--from", help="Tháng đầu / first month, YYYY-MM")],
    last: Annotated[str, typer.Option("--to", help="Tháng cuối / last month, YYYY-MM")],
    output: Annotated[Path, typer.Option("-o", "--output", help="OUT.csv")],
    paid: Annotated[Path | None, typer.Option(help="PAID.csv: what was paid")] = None,
    arrears: Annotated[
        Path | None, typer.Option(help="ARREARS.csv: due, paid and balance per month")
    ] = None,
    programme: Annotated[
        list[Path] | None, typer.Option(help="Tệp chương trình riêng của tỉnh / a local programme")
    ] = None,
) -> None:
    """Số tiền được hưởng từng tháng, không cần CSDL / monthly amounts owed, from a file.

    Each month: the base in force that month times the coefficient (or the level of the annex),
    whole VND; the highest category only where the law says so (social assistance), each
    category where it pays each (meritorious people).
    """
    if (paid is None) != (arrears is None):
        raise typer.BadParameter("--paid và --arrears đi cùng nhau / go together")
    rules = shipped_rules(tuple(load_programme_file(p) for p in programme or ()))
    result = calc_file(
        beneficiaries,
        parse_month(first, "--from"),
        parse_month(last, "--to"),
        output,
        rules,
        paid,
        arrears,
    )
    console.print(f"{result.rows:,} dòng / rows, {result.amount:,} đồng → {output}")
    if arrears is not None:
        console.print(
            f"{result.arrears_rows:,} dòng / rows, chênh lệch / balance {result.balance:,} đồng"
            f" → {arrears}"
        )


@benefits_app.command("decide")
@report_input_errors
def decide(
    decisions: Annotated[Path, typer.Argument(help="DECISIONS.csv hoặc .xlsx")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra / check only")] = False,
) -> None:
    """Ghi quyết định hưởng, điều chỉnh, thôi hưởng / record benefit decisions from a file.

    Columns: person_id, programme, category, decision_no, decision_date (YYYY-MM-DD),
    start_month (YYYY-MM), and optionally end_month, end_reason, injury_rate, children. A row
    for a category the person already holds changes that decision; every row or none.
    """
    engine = open_engine()
    result = import_decisions_file(
        engine, decisions, actor=get_settings().actor, scope=Scope(None, None), dry_run=dry_run
    )
    word = "sẽ ghi / would write" if dry_run else "đã ghi / written"
    console.print(
        f"{result.rows:,} dòng / rows: {result.new:,} mới / new, "
        f"{result.changed:,} thay đổi / changed ({word})"
    )

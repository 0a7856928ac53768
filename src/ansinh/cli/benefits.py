"""Benefit commands: monthly amounts owed from a file; payrolls, cards and coverage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, progress, report_input_errors
from ansinh.config import get_settings
from ansinh.domain.benefits.loader import load_bases, load_programme_file, shipped_rules
from ansinh.domain.codelists import benefit_programmes
from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.benefits_file import calc_file, parse_month
from ansinh.io.files import atomic_output
from ansinh.io.payroll_xlsx import payroll_workbook
from ansinh.store.payroll import get_run, month_totals, run_lines
from ansinh.store.scope import Scope, scope_for
from ansinh.store.units import unit_names
from ansinh.workflows import payroll
from ansinh.workflows.budget import WhatIf, budget_impact
from ansinh.workflows.coverage import check_coverage
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


payroll_app = typer.Typer(
    help="Bảng chi trả hằng tháng / monthly payroll runs", no_args_is_help=True
)
benefits_app.add_typer(payroll_app, name="payroll")


@payroll_app.command("prepare")
@report_input_errors
def payroll_prepare(
    month: Annotated[str, typer.Option(help="Tháng chi trả / month paid, YYYY-MM")],
    unit: Annotated[
        list[str], typer.Option(help="Mã xã, hoặc tỉnh cho mọi xã / a commune, or a province")
    ],
) -> None:
    """Lập bảng chi trả của xã cho một tháng / prepare each commune's run for a month.

    Every month owed and not yet paid: the month's amounts, arrears and recoveries. A run only
    prepared is prepared again; an approved one is left as it is.
    """
    engine = open_engine()
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, tuple(unit)).communes or ())
    if not communes:
        raise InputError.single("--unit", "Không có xã nào trong đơn vị này", "No commune there")
    with progress() as bar:
        task = bar.add_task("Lập bảng chi trả / preparing", total=None)
        prepared = payroll.prepare(
            engine, parse_month(month, "--month"), communes, get_settings().actor
        )
        bar.update(task, completed=1, total=1)
    console.print(
        f"{prepared.runs.height:,} bảng / runs, {int(prepared.runs['lines'].sum() or 0):,}"
        f" dòng / lines, {prepared.total_vnd:,} đồng"
    )
    if prepared.skipped:
        console.print(
            f"Đã duyệt, không lập lại / approved, left alone: {', '.join(prepared.skipped)}"
        )


@payroll_app.command("approve")
@report_input_errors
def payroll_approve(run: Annotated[int, typer.Argument(help="RUN id")]) -> None:
    """Duyệt bảng chi trả / approve a prepared run."""
    with _known_run(run):
        approved = payroll.approve(open_engine(), run, get_settings().actor, Scope(None, None))
    console.print(f"{approved.commune_code} {approved.month:%Y-%m}: {approved.status}")


@payroll_app.command("mark")
@report_input_errors
def payroll_mark(
    run: Annotated[int, typer.Argument(help="RUN id")],
    status: Annotated[str, typer.Option(help="paid | not_collected | returned")],
    line: Annotated[
        list[int] | None, typer.Option(help="Dòng / line id (default: all pending)")
    ] = None,
) -> None:
    """Ghi nhận đã chi, chưa nhận, hoàn trả / mark lines of an approved run."""
    engine = open_engine()
    with engine.connect() as connection:
        lines = line or [x.id for x in run_lines(connection, run) if x.status == "pending"]
    with _known_run(run):
        changed = payroll.mark(engine, run, lines, status, get_settings().actor, Scope(None, None))
    console.print(f"{changed:,} dòng / lines → {status}")


@payroll_app.command("export")
@report_input_errors
def payroll_export(
    run: Annotated[int, typer.Argument(help="RUN id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx")],
) -> None:
    """Bảng chi trả có cột ký nhận (XLSX, A4) / the run as the workbook a commune signs."""
    engine = open_engine()
    with engine.connect() as connection:
        found = get_run(connection, run)
        if found is None:
            raise InputError.single(str(run), "Không có bảng chi trả này", "No such run")
        name = unit_names(connection, {found.commune_code}).get(found.commune_code, "")
        content = payroll_workbook(found, name, run_lines(connection, run), _benefit_name)
    with atomic_output(output) as tmp:
        tmp.write_bytes(content)
    console.print(f"→ {output}")


@payroll_app.command("totals")
@report_input_errors
def payroll_totals(
    month: Annotated[str, typer.Option(help="YYYY-MM")],
    unit: Annotated[
        list[str] | None, typer.Option(help="Tỉnh hoặc xã / province or commune")
    ] = None,
) -> None:
    """Tổng chi theo xã và chương trình / totals by commune and programme."""
    engine = open_engine()
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, tuple(unit or ())).communes or ()) or None
        totals = month_totals(connection, parse_month(month, "--month"), communes)
    table = Table(
        "xã / commune",
        "chương trình / programme",
        "trạng thái / status",
        "người / people",
        "đồng / VND",
    )
    for total in totals:
        table.add_row(
            f"{total.commune_code} {total.commune_name}",
            total.programme,
            total.status,
            f"{total.people:,}",
            f"{total.amount:,}",
        )
    table.add_row(
        "",
        "Tổng / total",
        "",
        f"{sum(t.people for t in totals):,}",
        f"{sum(t.amount for t in totals):,}",
    )
    Console().print(table)


@contextmanager
def _known_run(run: int) -> Iterator[None]:
    """An unknown run id is bad input (exit 2), not a traceback."""
    try:
        yield
    except LookupError:
        raise InputError.single(str(run), "Không có bảng chi trả này", "No such run") from None


def _benefit_name(programme: str, category: str) -> str:
    found = benefit_programmes().get(programme)
    return found.categories.get(category, (category, category))[0] if found else category


@benefits_app.command("coverage")
@report_input_errors
def coverage(
    unit: Annotated[list[str], typer.Option(help="Tỉnh hoặc xã / province or commune")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Danh sách / the lists, CSV")
    ] = None,
) -> None:
    """Bao phủ chính sách theo xã / coverage by commune.

    Who looks entitled from the registry (age, the household's latest review, disability,
    extremely disadvantaged area) and receives nothing, and who is paid and no longer
    qualifies; with -o, every such person (kind: unserved or unqualified, with the reason).
    """
    engine = open_engine()
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, tuple(unit)).communes or ())
        names = unit_names(connection, set(communes))
    found = check_coverage(engine, communes)
    table = Table(
        "xã / commune",
        "đủ điều kiện / entitled",
        "chưa hưởng / unserved",
        "bao phủ / covered",
        "không còn đủ / unqualified",
    )
    for row in found.by_commune.filter(pl.col("entitled") + pl.col("unqualified") > 0).iter_rows(
        named=True
    ):
        rate = "–" if row["rate"] is None else f"{row['rate'] * 100:.1f}%"
        table.add_row(
            f"{row['commune_code']} {names.get(row['commune_code'], '')}",
            f"{row['entitled']:,}",
            f"{row['unserved']:,}",
            rate,
            f"{row['unqualified']:,}",
        )
    Console().print(table)
    if output is not None:
        lists = pl.concat(
            [
                found.unserved.with_columns(
                    pl.lit("unserved").alias("kind"), pl.lit(None, pl.String).alias("reason")
                ),
                found.unqualified.with_columns(pl.lit("unqualified").alias("kind")),
            ],
            how="diagonal_relaxed",
        ).select(
            "kind",
            "commune_code",
            "person_id",
            "full_name",
            "programme",
            "category",
            "age",
            "status",
            "reason",
        )
        with atomic_output(output) as tmp:
            cells.write_csv(lists, tmp)
        console.print(f"{lists.height:,} người / people → {output}")


@benefits_app.command("budget")
@report_input_errors
def budget(
    unit: Annotated[list[str], typer.Option(help="Tỉnh hoặc xã / province or commune")],
    month: Annotated[str, typer.Option(help="Tháng tính / the month's rates, YYYY-MM")],
    standard: Annotated[
        str | None, typer.Option(help="Chuẩn nghèo khác / another poverty standard")
    ] = None,
    base: Annotated[
        list[str] | None,
        typer.Option(help="Mức chuẩn khác từ tháng đó / another base, CODE=VND"),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="OUT.csv")] = None,
) -> None:
    """Chi phí trợ cấp và thẻ BHYT nếu đổi chuẩn / the cost of a what-if, by commune.

    A year of allowances (at the month's rates) and of state-paid health-insurance cards, now
    and under another poverty standard (households classified again from their latest
    questionnaires) and/or other base levels (e.g. social_assistance_standard=600000).
    """
    overrides = tuple(_base_override(text) for text in base or ())
    engine = open_engine()
    with engine.connect() as connection:
        communes = sorted(scope_for(connection, tuple(unit)).communes or ())
    found = budget_impact(
        engine, communes, parse_month(month, "--month"), WhatIf(standard, overrides)
    )
    totals = found.by_commune.drop("commune_code").sum().row(0, named=True)
    for name, value in totals.items():
        console.print(f"{name}: {value:,} đồng")
    console.print(
        f"{found.households_changed:,} hộ đổi tình trạng / households change status"
        + (" (chuẩn tạm tính / provisional standard)" if found.provisional else "")
    )
    if output is not None:
        with atomic_output(output) as tmp:
            cells.write_csv(found.by_commune, tmp)
        console.print(f"→ {output}")


def _base_override(text: str) -> tuple[str, float]:
    code, _, value = text.partition("=")
    if code not in load_bases() or not value.isdigit():
        raise InputError.single(
            "--base",
            f"Cần MÃ=SỐ với mã trong bases.yaml: '{text}'",
            f"Expected CODE=VND with a code of bases.yaml: '{text}'",
        )
    return code, float(value)

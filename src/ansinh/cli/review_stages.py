"""The review as people run it, from the command line: stages, complaints, regular reviews,
the province's progress and the monthly report (`ansinh review stage|complaint|...`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.cli.poverty import review_app
from ansinh.config import get_settings
from ansinh.domain.review_stages import stage_rules
from ansinh.errors import InputError
from ansinh.io.benefits_file import parse_month
from ansinh.io.report_export import write_csv
from ansinh.store.regular_reviews import (
    Application,
    decide_application,
    monthly_report,
    record_application,
)
from ansinh.store.review_complaints import (
    Decision,
    NewComplaint,
    accept_complaint,
    add_complaint,
    complaints_in,
    decide_complaint,
)
from ansinh.store.review_stages import StagePapers, province_progress, record_stage
from ansinh.store.scope import WHOLE_REGISTRY, scope_for
from ansinh.workflows.review_return import send_back

complaint_app = typer.Typer(help="Khiếu nại về kết quả rà soát / complaints", no_args_is_help=True)
review_app.add_typer(complaint_app, name="complaint")

Day = Annotated[str, typer.Option(help="Ngày / date, YYYY-MM-DD")]


def day_of(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError.single(
            option, f"Ngày không hợp lệ: '{text}' (YYYY-MM-DD)", f"Not a date: '{text}'"
        ) from None


def _unknown(what: str, key: object) -> InputError:
    return InputError.single(what, f"Không có {what} {key}", f"No {what} {key}")


@review_app.command("stage")
@report_input_errors
def stage(
    commune: Annotated[str, typer.Option(help="Mã xã / commune code")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    stage: Annotated[str, typer.Option(help="Bước / stage: " + ", ".join(stage_rules().codes))],
    on: Day,
    attendance: Annotated[int | None, typer.Option(help="Số người dự họp / attendance")] = None,
    result: Annotated[
        str | None, typer.Option(help="Kết quả họp / meeting result: agreed | changed")
    ] = None,
    minutes: Annotated[Path | None, typer.Option(help="Biên bản họp / minutes file")] = None,
    village: Annotated[str | None, typer.Option(help="Mã thôn họp / the village met")] = None,
    decision_no: Annotated[str | None, typer.Option(help="Số quyết định / decision no.")] = None,
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
) -> None:
    """Ghi nhận một bước rà soát của xã / record a stage of a commune's review."""
    if minutes is not None and not minutes.is_file():
        raise InputError.single(str(minutes), "Không có tệp", "No such file")
    papers = StagePapers(
        attendance=attendance,
        meeting_result=result,
        village_code=village,
        minutes_name=minutes.name if minutes else None,
        minutes=minutes.read_bytes() if minutes else None,
        decision_no=decision_no,
        note=note,
    )
    with open_engine().begin() as connection:
        until = record_stage(
            connection,
            commune=commune,
            year=year,
            stage=stage,
            on=day_of(on, "--on"),
            papers=papers,
            actor=get_settings().actor,
            scope=WHOLE_REGISTRY,
            today=date.today(),
            province=True,  # the command line is the province's batch work
        )
    extra = f", niêm yết đến hết / posted until {until:%d/%m/%Y}" if until else ""
    console.print(f"{commune} {year}: {stage} {on}{extra}")


@review_app.command("return")
@report_input_errors
def return_(
    commune: Annotated[str, typer.Option(help="Mã xã / commune code")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    on: Day,
    reason: Annotated[str, typer.Option(help="Lý do trả lại / why it is sent back (required)")],
) -> None:
    """Tỉnh trả lại báo cáo của xã / the province sends a commune's report back, with a reason.

    Before the province signs the year off: the commune falls back to the stage stages.yaml
    `returns` names (recognised) and reports again; the reason is shown on its work list."""
    with open_engine().begin() as connection:
        done = send_back(
            connection,
            commune=commune,
            year=year,
            on=day_of(on, "--on"),
            reason=reason,
            actor=get_settings().actor,
            scope=WHOLE_REGISTRY,
            today=date.today(),
            province=True,  # the command line is the province's batch work
        )
    console.print(
        f"{commune} {year}: trả lại / sent back {on}; "
        f"bỏ / undone: {', '.join(done.undone)}; về bước / back to: {done.rule.back_to}"
    )


@review_app.command("progress")
@report_input_errors
def progress(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code, e.g. 15")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    as_of: Annotated[str | None, typer.Option(help="Tính đến ngày / as of (today)")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="CSV")] = None,
) -> None:
    """Tiến độ rà soát của các xã / each commune's progress against the plan; behind ones."""
    day = day_of(as_of, "--as-of") if as_of else date.today()
    with open_engine().connect() as connection:
        communes = scope_for(connection, (unit,)).communes or frozenset()
        if not communes:
            raise _unknown("--unit", unit)
        rows = province_progress(connection, sorted(communes), year, day)
    if output is not None:
        write_csv(output, rows)
        console.print(f"{rows.height:,} xã / communes → {output}")
        return
    shown = rows.select(
        "commune_code", "commune_name", "reached", "expected", "behind", "overdue_complaints"
    )
    _print(shown, f"Tiến độ rà soát năm {year} đến {day:%d/%m/%Y} / progress as of {day}")
    behind = int(rows["behind"].sum())
    console.print(f"Chậm tiến độ / behind: {behind:,} / {rows.height:,} xã / communes")


def _print(rows: pl.DataFrame, title: str) -> None:
    table = Table(title=title)
    for name in rows.columns:
        table.add_column(name, overflow="fold")
    for row in rows.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)


@complaint_app.command("add")
@report_input_errors
def complaint_add(
    commune: Annotated[str, typer.Option(help="Mã xã / commune code")],
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")],
    complainant: Annotated[str, typer.Option(help="Người khiếu nại / complainant")],
    channel: Annotated[str, typer.Option(help="Hình thức / channel, e.g. in_person, letter")],
    received: Day,
    household: Annotated[
        str | None, typer.Option(help="Mã hộ / household code (none: the whole list)")
    ] = None,
    summary: Annotated[str | None, typer.Option(help="Nội dung / what it says")] = None,
    complex_case: Annotated[
        bool, typer.Option("--complex", help="Vụ việc phức tạp / complex")
    ] = False,
    accepted: Annotated[str | None, typer.Option(help="Ngày thụ lý / accepted on")] = None,
) -> None:
    """Ghi nhận khiếu nại / register a complaint about a household or a list."""
    new = NewComplaint(
        commune,
        year,
        complainant,
        channel,
        day_of(received, "--received"),
        household,
        summary,
        complex_case,
        day_of(accepted, "--accepted") if accepted else None,
    )
    with open_engine().begin() as connection:
        found = add_complaint(
            connection, new, actor=get_settings().actor, scope=WHOLE_REGISTRY, today=date.today()
        )
    console.print(f"Khiếu nại / complaint {found}")


@complaint_app.command("accept")
@report_input_errors
def complaint_accept(
    id_: Annotated[int, typer.Option("--id", help="Số khiếu nại / complaint id")], on: Day
) -> None:
    """Thụ lý khiếu nại / record the day a complaint was accepted."""
    try:
        with open_engine().begin() as connection:
            by = accept_complaint(
                connection,
                id_,
                day_of(on, "--on"),
                actor=get_settings().actor,
                scope=WHOLE_REGISTRY,
                today=date.today(),
            )
    except LookupError:
        raise _unknown("--id", id_) from None
    console.print(f"Hạn giải quyết / decide by {by:%d/%m/%Y}")


@complaint_app.command("decide")
@report_input_errors
def complaint_decide(
    id_: Annotated[int, typer.Option("--id", help="Số khiếu nại / complaint id")],
    on: Day,
    outcome: Annotated[str, typer.Option(help="upheld | rejected | withdrawn")],
    decision_no: Annotated[str, typer.Option(help="Số quyết định / decision no.")],
    status: Annotated[
        str | None, typer.Option(help="Phân loại mới của hộ / the household's new status")
    ] = None,
) -> None:
    """Quyết định giải quyết khiếu nại / record a complaint's decision and its effect."""
    decision = Decision(day_of(on, "--on"), outcome, decision_no, status)
    try:
        with open_engine().begin() as connection:
            before = decide_complaint(
                connection,
                id_,
                decision,
                actor=get_settings().actor,
                scope=WHOLE_REGISTRY,
                today=date.today(),
            )
    except LookupError:
        raise _unknown("--id", id_) from None
    changed = f": {before} → {status}" if before and status and before != status else ""
    console.print(f"Khiếu nại / complaint {id_}: {outcome}{changed}")


@complaint_app.command("list")
@report_input_errors
def complaint_list(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code")],
    year: Annotated[int | None, typer.Option(help="Năm rà soát / review year")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Chưa giải quyết / open only")] = False,
    as_of: Annotated[str | None, typer.Option(help="Tính đến ngày / as of (today)")] = None,
) -> None:
    """Sổ khiếu nại, quá hạn trước / the register, overdue first."""
    day = day_of(as_of, "--as-of") if as_of else date.today()
    with open_engine().connect() as connection:
        communes = scope_for(connection, (unit,)).communes
        if not communes:
            raise _unknown("--unit", unit)
        rows = complaints_in(connection, sorted(communes), day, year, open_only)
    table = Table(title=f"Khiếu nại / complaints ({day:%d/%m/%Y})")
    for name in ("id", "xã", "hộ", "nhận", "hạn thụ lý", "hạn giải quyết", "tình trạng"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            str(r.id),
            r.commune_code,
            r.household_code or "(danh sách / list)",
            f"{r.received_on}",
            f"{r.acknowledge_by}",
            f"{r.decide_by}",
            r.standing,
        )
    console.print(table)


@review_app.command("regular")
@report_input_errors
def regular(
    household: Annotated[str, typer.Option(help="Mã hộ / household code")],
    applied: Day,
    decided: Annotated[str | None, typer.Option(help="Ngày quyết định / decided on")] = None,
    status: Annotated[str | None, typer.Option(help="Phân loại mới / new status")] = None,
    decision_no: Annotated[str | None, typer.Option(help="Số quyết định / decision no.")] = None,
) -> None:
    """Rà soát thường xuyên theo đơn của hộ (Điều 5) / a household's regular review (Art. 5)."""
    new = Application(
        household,
        day_of(applied, "--applied"),
        day_of(decided, "--decided") if decided else None,
        status,
        decision_no,
    )
    with open_engine().begin() as connection:
        found = record_application(
            connection, new, actor=get_settings().actor, scope=WHOLE_REGISTRY, today=date.today()
        )
    console.print(f"Đơn / application {found}")


@review_app.command("regular-decide")
@report_input_errors
def regular_decide(
    id_: Annotated[int, typer.Option("--id", help="Số đơn / application id")],
    on: Day,
    status: Annotated[str, typer.Option(help="Phân loại mới / new status")],
    decision_no: Annotated[str, typer.Option(help="Số quyết định / decision no.")],
) -> None:
    """Quyết định về đơn rà soát thường xuyên / decide a regular-review application."""
    try:
        with open_engine().begin() as connection:
            decide_application(
                connection,
                id_,
                day_of(on, "--on"),
                status,
                decision_no,
                actor=get_settings().actor,
                scope=WHOLE_REGISTRY,
                today=date.today(),
            )
    except LookupError:
        raise _unknown("--id", id_) from None
    console.print(f"Đơn / application {id_}: {status}")


@review_app.command("monthly")
@report_input_errors
def monthly(
    unit: Annotated[str, typer.Option(help="Mã đơn vị / unit code")],
    month: Annotated[str, typer.Option(help="Tháng / month, YYYY-MM")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="CSV")] = None,
) -> None:
    """Báo cáo rà soát thường xuyên hằng tháng / the month's regular reviews, by commune."""
    first = parse_month(month, "--month")
    with open_engine().connect() as connection:
        communes = scope_for(connection, (unit,)).communes
        if not communes:
            raise _unknown("--unit", unit)
        rows = monthly_report(connection, sorted(communes), first)
    if output is not None:
        write_csv(output, rows)
        console.print(f"{rows.height:,} dòng / rows → {output}")
        return
    _print(rows, f"Rà soát thường xuyên tháng {first:%m/%Y} / regular reviews")
    console.print(
        f"Đơn / applications: {int(rows['applications'].sum()):,}, "
        f"đã quyết định / decided: {int(rows['decided'].sum()):,}"
    )

"""Payroll pages: runs by month within the viewer's units, prepare, approve, mark, the workbook."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ansinh.errors import InputError
from ansinh.io.benefits_file import parse_month
from ansinh.io.payroll_xlsx import payroll_workbook
from ansinh.store.payroll import Run, get_run, month_totals, run_lines, runs_in
from ansinh.store.units import unit_names
from ansinh.web import labels
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, get_lang, require_csrf
from ansinh.web.templating import render
from ansinh.web.xlsx import xlsx_response
from ansinh.workflows import payroll

router = APIRouter(include_in_schema=False)
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Month = Annotated[str, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")]
Commune = Annotated[str, Query(max_length=20)]


def _communes(connection: Db, viewer: Viewer) -> dict[str, str]:
    """The communes the viewer may prepare for (all of them for the whole country)."""
    codes = viewer.scope.communes
    if codes is None:
        return {}
    names = unit_names(connection, set(codes))  # every unit's name, cached
    return {code: names.get(code, code) for code in sorted(codes)}


@router.get("/payroll")
def payroll_page(
    request: Request, connection: Db, viewer: PageViewer, month: Month | None = None
) -> Response:
    day = month_of(month)
    month = f"{day:%Y-%m}"
    communes = viewer.scope.communes
    within = None if communes is None else sorted(communes)
    return render(
        request,
        "payroll.html",
        viewer,
        month=month,
        runs=runs_in(connection, within),
        totals=month_totals(connection, day, within),
        communes=_communes(connection, viewer),
        prepared=request.query_params.get("prepared"),
        skipped=request.query_params.get("skipped", ""),
    )


@router.post("/payroll/prepare")
async def prepare(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    if not viewer.role.edits:
        raise HTTPException(403)
    month, unit = form.get("month", ""), form.get("commune", "")
    day = month_of(month)
    if viewer.scope.communes is None:
        raise HTTPException(400, "Chọn một xã / choose a commune")
    chosen = sorted(viewer.scope.communes) if unit == "all" else [unit]
    if not all(viewer.scope.has_commune(code) for code in chosen):
        raise HTTPException(403)
    done = await run_in_threadpool(payroll.prepare, engine, day, chosen, viewer.username)
    skipped = ",".join(done.skipped)
    return RedirectResponse(
        f"/payroll?month={month}&prepared={done.runs.height}&skipped={skipped}", status_code=303
    )


@router.get("/payroll/{run_id}")
def run_page(request: Request, connection: Db, viewer: PageViewer, run_id: RunId) -> Response:
    run = _visible(connection, viewer, run_id)
    lines = run_lines(connection, run_id)
    name = unit_names(connection, {run.commune_code}).get(run.commune_code, run.commune_code)
    return render(
        request,
        "payroll_run.html",
        viewer,
        run=run,
        commune_name=name,
        lines=lines,
        total=sum(line.amount for line in lines),
        notice=request.query_params.get("notice", ""),
    )


@router.post("/payroll/{run_id}/approve")
async def approve(
    request: Request, engine: DbEngine, viewer: PageViewer, run_id: RunId
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    if not viewer.role.approves:
        raise HTTPException(403)
    try:
        await run_in_threadpool(payroll.approve, engine, run_id, viewer.username, viewer.scope)
    except LookupError:
        raise HTTPException(404) from None
    except InputError:  # approved already (a second click): said on the run's page
        return RedirectResponse(f"/payroll/{run_id}?notice=refused", status_code=303)
    return RedirectResponse(f"/payroll/{run_id}?notice=approved", status_code=303)


@router.post("/payroll/{run_id}/mark")
async def mark(request: Request, engine: DbEngine, viewer: PageViewer, run_id: RunId) -> Response:
    form = await request.form()
    require_csrf(viewer, str(form.get("csrf_token", "")))
    if not viewer.role.edits:
        raise HTTPException(403)
    chosen = [int(v) for v in form.getlist("line") if isinstance(v, str) and v.isdigit()]
    status = str(form.get("status", ""))
    try:
        await run_in_threadpool(
            payroll.mark, engine, run_id, chosen, status, viewer.username, viewer.scope
        )
    except LookupError:
        raise HTTPException(404) from None
    except InputError:  # not approved yet, or a status that is not one: said on the run's page
        return RedirectResponse(f"/payroll/{run_id}?notice=refused", status_code=303)
    return RedirectResponse(f"/payroll/{run_id}?notice=marked", status_code=303)


@router.get("/payroll/{run_id}/bang-chi-tra.xlsx")
def run_workbook(request: Request, connection: Db, viewer: PageViewer, run_id: RunId) -> Response:
    run = _visible(connection, viewer, run_id)
    name = unit_names(connection, {run.commune_code}).get(run.commune_code, run.commune_code)
    lang = get_lang(request)
    content = payroll_workbook(
        run,
        name,
        run_lines(connection, run_id),
        lambda programme, category: labels.benefit(programme, category, lang),
    )
    return xlsx_response(f"bang-chi-tra-{run.commune_code}-{run.month:%Y-%m}.xlsx", content)


def _visible(connection: Db, viewer: Viewer, run_id: int) -> Run:
    run = get_run(connection, run_id)
    if run is None or not viewer.scope.has_commune(run.commune_code):
        raise HTTPException(404)
    return run


def month_of(text: str | None) -> date:
    """A month asked for (YYYY-MM), this month when none; 400 for one that is not a month."""
    if not text:
        return date.today().replace(day=1)
    try:
        return parse_month(text, "month")
    except InputError:
        raise HTTPException(400, "Tháng không hợp lệ / invalid month") from None

"""The review's pages: a commune officer's work list with a form for each stage and for
complaints, the public lists to print, and the province's progress by commune."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException

from ansinh.domain.complaints import complaint_rules
from ansinh.domain.review_stages import stage_rules
from ansinh.errors import InputError
from ansinh.io.posting_files import write_posting
from ansinh.store.models import Unit
from ansinh.store.posting import posted_list
from ansinh.store.regular_reviews import Application, monthly_report, record_application
from ansinh.store.review_changes import statuses_of_year
from ansinh.store.review_complaints import (
    Decision,
    NewComplaint,
    accept_complaint,
    add_complaint,
    decide_complaint,
)
from ansinh.store.review_stages import (
    MEETING_RESULTS,
    StagePapers,
    is_draft,
    minutes_of,
    province_progress,
    record_stage,
)
from ansinh.store.scope import scope_for
from ansinh.store.units import unit_names
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, get_lang, require_csrf
from ansinh.web.request_limits import BodyTooLarge
from ansinh.web.review import review_year, work_list
from ansinh.web.templating import render
from ansinh.workflows.review_return import send_back

router = APIRouter(include_in_schema=False)
Commune = Annotated[str | None, Query(max_length=20)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
ComplaintId = Annotated[int, Path(ge=1, le=2**31 - 1)]
POSTING_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _communes(connection: Db, viewer: Viewer) -> dict[str, str]:
    codes = viewer.scope.communes
    if codes is None:
        return {}
    names = unit_names(connection, set(codes))
    return {code: names.get(code, code) for code in sorted(codes)}


def _chosen(communes: dict[str, str], viewer: Viewer, commune: str | None) -> str | None:
    if commune:
        if not viewer.scope.has_commune(commune):
            raise HTTPException(404)
        return commune
    return next(iter(communes), None) if len(communes) == 1 else None


@router.get("/review")
def review_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    commune: Commune = None,
    year: Year = None,
) -> Response:
    return _page(request, connection, viewer, commune, year)


def _page(
    request: Request,
    connection: Db,
    viewer: Viewer,
    commune: str | None,
    year: int | None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    communes = _communes(connection, viewer)
    chosen = _chosen(communes, viewer, commune)
    year = year or review_year(connection)
    names = unit_names(connection, {chosen}) if chosen else {}
    work = work_list(connection, chosen, year, date.today()) if chosen else None
    return render(
        request,
        "review.html",
        viewer,
        status_code=status_code,
        communes=communes,
        commune=chosen,
        commune_name=names.get(chosen or "", chosen),
        year=year,
        work=work,
        stages={s.code: s for s in stage_rules().stages},
        villages=_villages(connection, chosen) if chosen else {},
        meeting_results=MEETING_RESULTS,
        channels=complaint_rules().channels,
        outcomes=complaint_rules().outcomes,
        statuses=statuses_of_year(connection, year),
        today=date.today().isoformat(),
        monthly=_monthly(connection, chosen),
        problems=problems or [],
        notice=request.query_params.get("notice", ""),
    )


def _monthly(connection: Db, commune: str | None) -> list[dict[str, Any]]:
    """This month's regular reviews of the commune, by change of status."""
    if commune is None:
        return []
    return monthly_report(connection, [commune], date.today().replace(day=1)).to_dicts()


def _villages(connection: Db, commune: str) -> dict[str, str]:
    rows = connection.execute(
        select(Unit.code, Unit.name)
        .where(Unit.parent_code == commune, Unit.level == "village")
        .order_by(Unit.code)
    )
    return {str(code): str(name) for code, name in rows}


def _messages(error: InputError, lang: str) -> list[str]:
    return [p.reason_vi if lang == "vi" else p.reason_en for p in error.problems]


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError.single(field, "Ngày không hợp lệ", "Not a date", column=field) from None


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _commune_year(form: FormData) -> tuple[str, int]:
    year = _text(form, "year")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise HTTPException(400, "Năm không hợp lệ / invalid year")
    return _text(form, "commune"), int(year)


def _allowed(viewer: Viewer, commune: str) -> None:
    if not viewer.role.edits or not viewer.scope.has_commune(commune):
        raise HTTPException(403)


@router.post("/review/stage")
async def stage_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    """A stage with its papers; the village meeting's minutes come as a file (multipart)."""
    if not viewer.role.edits:
        raise HTTPException(403)
    try:
        form = await request.form(max_files=1, max_fields=16)
    except (BodyTooLarge, MultiPartException):
        raise HTTPException(413) from None
    try:
        return await _stage(request, engine, viewer, form)
    finally:
        await form.close()


async def _stage(request: Request, engine: DbEngine, viewer: Viewer, form: FormData) -> Response:
    require_csrf(viewer, _text(form, "csrf_token"))
    commune, year = _commune_year(form)
    _allowed(viewer, commune)
    upload = form.get("minutes")
    minutes = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        attendance = _text(form, "attendance")
        papers = StagePapers(
            attendance=int(attendance) if attendance.isdigit() else None,
            meeting_result=_text(form, "meeting_result") or None,
            village_code=_text(form, "village") or None,
            minutes_name=upload.filename if isinstance(upload, UploadFile) else None,
            minutes=minutes or None,
            decision_no=_text(form, "decision_no") or None,
            note=_text(form, "note") or None,
        )
        stage, on = _text(form, "stage"), _day(_text(form, "on"), "on")
        await run_in_threadpool(_record, engine, viewer, commune, year, stage, on, papers)
    except InputError as error:
        return _refused(request, engine, viewer, commune, year, error)
    return _back(commune, year, "stage")


def _record(
    engine: DbEngine,
    viewer: Viewer,
    commune: str,
    year: int,
    stage: str,
    on: date,
    papers: StagePapers,
) -> None:
    with engine.begin() as connection:
        record_stage(
            connection,
            commune=commune,
            year=year,
            stage=stage,
            on=on,
            papers=papers,
            actor=viewer.username,
            scope=viewer.scope,
            today=date.today(),
            province=viewer.role.approves,
        )


def _refused(
    request: Request,
    engine: DbEngine,
    viewer: Viewer,
    commune: str | None,
    year: int,
    error: InputError,
    status_code: int = 400,
) -> Response:
    with engine.connect() as connection:
        messages = _messages(error, get_lang(request))
        return _page(request, connection, viewer, commune, year, messages, status_code)


def _back(commune: str, year: int, notice: str) -> Response:
    return RedirectResponse(
        f"/review?commune={commune}&year={year}&notice={notice}", status_code=303
    )


async def _form(request: Request, viewer: Viewer) -> FormData:
    form = await request.form()
    require_csrf(viewer, _text(form, "csrf_token"))
    return form


@router.post("/review/return")
async def return_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    """The province sends the commune's report back with a reason (stages.yaml `returns`).
    Anyone may ask; the refusal says why (no right, outside one's units, signed off already)."""
    form = await _form(request, viewer)
    commune, year = _commune_year(form)
    inside = viewer.scope.has_commune(commune)
    try:
        on = _day(_text(form, "on"), "on")
        with engine.begin() as connection:
            send_back(
                connection,
                commune=commune,
                year=year,
                on=on,
                reason=_text(form, "reason"),
                actor=viewer.username,
                scope=viewer.scope,
                today=date.today(),
                province=viewer.role.approves,
            )
    except InputError as error:
        status = 403 if not (inside and viewer.role.approves) else 400
        return _refused(request, engine, viewer, commune if inside else None, year, error, status)
    return _back(commune, year, "returned")


@router.post("/review/complaints")
async def complaint_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    form = await _form(request, viewer)
    commune, year = _commune_year(form)
    _allowed(viewer, commune)
    try:
        accepted = _text(form, "accepted_on")
        new = NewComplaint(
            commune=commune,
            year=year,
            complainant=_text(form, "complainant"),
            channel=_text(form, "channel"),
            received_on=_day(_text(form, "received_on"), "received_on"),
            household_code=_text(form, "household") or None,
            summary=_text(form, "summary") or None,
            complex_case=_text(form, "complex") in ("on", "1", "true"),
            accepted_on=_day(accepted, "accepted_on") if accepted else None,
        )
        with engine.begin() as connection:
            add_complaint(
                connection, new, actor=viewer.username, scope=viewer.scope, today=date.today()
            )
    except InputError as error:
        return _refused(request, engine, viewer, commune, year, error)
    return _back(commune, year, "complaint")


@router.post("/review/complaints/{complaint_id}/{action}")
async def complaint_action(
    request: Request,
    engine: DbEngine,
    viewer: PageViewer,
    complaint_id: ComplaintId,
    action: Annotated[str, Path(pattern="^(accept|decide)$")],
) -> Response:
    form = await _form(request, viewer)
    commune, year = _commune_year(form)
    _allowed(viewer, commune)
    try:
        with engine.begin() as connection:
            _complaint_action(connection, viewer, complaint_id, action, form)
    except LookupError:
        raise HTTPException(404) from None
    except InputError as error:
        return _refused(request, engine, viewer, commune, year, error)
    return _back(commune, year, action)


def _complaint_action(
    connection: Any, viewer: Viewer, complaint_id: int, action: str, form: FormData
) -> None:
    on = _day(_text(form, "on"), "on")
    if action == "accept":
        accept_complaint(
            connection,
            complaint_id,
            on,
            actor=viewer.username,
            scope=viewer.scope,
            today=date.today(),
        )
        return
    decision = Decision(
        on, _text(form, "outcome"), _text(form, "decision_no"), _text(form, "new_status") or None
    )
    decide_complaint(
        connection,
        complaint_id,
        decision,
        actor=viewer.username,
        scope=viewer.scope,
        today=date.today(),
    )


@router.post("/review/regular")
async def regular_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    """A household's application for a regular review (Art. 5), with its decision when made."""
    form = await _form(request, viewer)
    commune, year = _commune_year(form)
    _allowed(viewer, commune)
    try:
        decided = _text(form, "decided_on")
        application = Application(
            household_code=_text(form, "household"),
            applied_on=_day(_text(form, "applied_on"), "applied_on"),
            decided_on=_day(decided, "decided_on") if decided else None,
            status_after=_text(form, "new_status") or None,
            decision_no=_text(form, "decision_no") or None,
        )
        with engine.begin() as connection:
            record_application(
                connection,
                application,
                actor=viewer.username,
                scope=viewer.scope,
                today=date.today(),
            )
    except InputError as error:
        return _refused(request, engine, viewer, commune, year, error)
    return _back(commune, year, "regular")


@router.get("/review/posting.{kind}")
def posting_file(
    connection: Db,
    viewer: PageViewer,
    kind: Annotated[str, Path(pattern="^(pdf|xlsx|csv)$")],
    commune: Annotated[str, Query(max_length=20)],
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Response:
    """The public lists to print for the village notice board (no IDs, no birth dates)."""
    if not viewer.scope.has_commune(commune):
        raise HTTPException(404)
    names = unit_names(connection, {commune})
    if commune not in names:
        raise HTTPException(404)
    lists = posted_list(connection, commune, year)
    draft = is_draft(connection, commune, year)
    with tempfile.TemporaryDirectory() as folder:
        target = FilePath(folder) / f"niem-yet-{commune}-{year}.{kind}"
        write_posting(lists, target, names[commune], year, draft=draft)
        content = target.read_bytes()
    disposition = f'attachment; filename="niem-yet-{commune}-{year}.{kind}"'
    return Response(
        content, media_type=POSTING_TYPES[kind], headers={"Content-Disposition": disposition}
    )


@router.get("/review/minutes")
def minutes_file(
    connection: Db,
    viewer: PageViewer,
    commune: Annotated[str, Query(max_length=20)],
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> Response:
    if not viewer.scope.has_commune(commune):
        raise HTTPException(404)
    found = minutes_of(connection, commune, year)
    if found is None:
        raise HTTPException(404)
    name, content = found
    safe = "".join(c for c in name if c.isalnum() or c in "._-") or "bien-ban"
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@router.get("/review/progress")
def progress_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    year: Year = None,
    as_of: Annotated[str | None, Query(max_length=10)] = None,
    behind: Annotated[bool, Query()] = False,
) -> Response:
    """Each commune in the viewer's units against the province's plan; the ones behind."""
    year = year or review_year(connection)
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise HTTPException(400, "Ngày không hợp lệ / invalid date") from None
    communes = viewer.scope.communes
    if communes is None:
        communes = scope_for(connection, ("VN",)).communes or frozenset()
    rows = province_progress(connection, sorted(communes), year, day)
    if behind:
        rows = rows.filter(rows["behind"])
    stages = {s.code: s for s in stage_rules().stages}
    return render(
        request,
        "review_progress.html",
        viewer,
        year=year,
        as_of=day.isoformat(),
        rows=rows.to_dicts(),
        stages=stages,
        sendable={r.stage for r in stage_rules().returns},
        behind_only=behind,
        behind_count=int(rows["behind"].sum()) if rows.height else 0,
    )

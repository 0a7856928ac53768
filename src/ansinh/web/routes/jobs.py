"""Jobs from the browser: start a review, an inspection or a long export; follow it; its file."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from ansinh.store.jobs import JobInfo, JobRunning, fail_dead, get_job, job_file, recent_jobs
from ansinh.web.audit_view import audit_filter
from ansinh.web.deps import (
    Db,
    DbEngine,
    PageViewer,
    Viewer,
    get_lang,
    require_audit,
    require_csrf,
)
from ansinh.web.export_books import audit_book, search_book
from ansinh.web.job_starts import (
    WHOLE,
    may_run,
    own_scope,
    start_export,
    start_inspection,
    start_review,
)
from ansinh.web.routes.search import narrowed, search_filter
from ansinh.web.templating import render
from ansinh.web.xlsx import xlsx_response
from ansinh.workflows.jobs import Progress, live_progress
from ansinh.workflows.review_run import latest_survey_year

router = APIRouter(include_in_schema=False)
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
YEARS = range(2000, 2101)


def _visible(viewer: Viewer, job: JobInfo) -> bool:
    """Reviews are followed by every role; inspections by their reviewers; an export by its
    owner only (it holds what its owner may see)."""
    if job.kind == "review":
        return True
    if job.kind == "inspection":
        return viewer.reviews
    return job.scope_key == own_scope(viewer)


def _shown(job: JobInfo) -> JobInfo:
    """The job with this process's live progress, if it runs here (the database may be held by
    the job itself)."""
    live = live_progress(job.id) if job.running else None
    if live is None or live.percent <= job.progress:
        return job
    return JobInfo(**{**job.__dict__, "progress": live.percent, "stage": live.stage})


def _jobs_of(connection: Db, viewer: Viewer) -> list[JobInfo]:
    kinds = ("review", "inspection", "export") if viewer.reviews else ("review", "export")
    found = recent_jobs(connection, kinds, (WHOLE, own_scope(viewer)), limit=20)
    return [_shown(j) for j in found if _visible(viewer, j)]


@router.get("/jobs")
def jobs_page(request: Request, engine: DbEngine, connection: Db, viewer: PageViewer) -> Response:
    connection.rollback()
    fail_dead(engine)  # none stays 'running' after its process died
    refused = request.query_params.get("running")
    return render(
        request,
        "jobs.html",
        viewer,
        jobs=_jobs_of(connection, viewer),
        may=may_run(viewer),
        year=latest_survey_year(connection) or date.today().year,
        running=int(refused) if refused and refused.isdigit() else None,
    )


@router.get("/jobs/{job_id}")
def job_row(
    request: Request, engine: DbEngine, connection: Db, viewer: PageViewer, job_id: JobId
) -> Response:
    """One job's row as htmx polls it while it runs; a page of its own otherwise."""
    connection.rollback()
    fail_dead(engine)
    job = get_job(connection, job_id)
    if job is None or not _visible(viewer, job):
        raise HTTPException(404)
    if request.headers.get("hx-request"):
        return render(request, "_job_row.html", viewer, job=_shown(job))
    return render(request, "jobs.html", viewer, jobs=[_shown(job)], may=set(), year=None)


def _form_csrf(request: Request, viewer: Viewer, form: dict[str, str]) -> None:
    """The session's token from the form, or from htmx's header (base.html): a button in a
    cached fragment cannot hold it."""
    require_csrf(viewer, form.get("csrf_token") or request.headers.get("x-csrf-token", ""))


def _to(request: Request, target: str) -> Response:
    if request.headers.get("hx-request"):  # htmx goes there itself
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _started(request: Request, job_id: int) -> Response:
    return _to(request, f"/jobs#job-{job_id}")


def _one_at_a_time(request: Request, running: JobRunning) -> Response:
    return _to(request, f"/jobs?running={running.job_id or ''}")


@router.post("/jobs/export/search")
async def export_search(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _form_csrf(request, viewer, form)
    q = form.get("q", "")[:200]
    scope = narrowed(viewer, form.get("commune", "")[:20])
    with engine.connect() as connection:
        filtered = search_filter(connection, form.get("status", ""), form.get("age", ""))
    lang = get_lang(request)

    def build(connection: Connection, progress: Progress) -> tuple[bytes, int]:
        progress(10, "rows")
        return search_book(connection, viewer, scope, q, filtered, lang)

    params = {k: form[k] for k in ("q", "commune", "status", "age") if form.get(k)}
    try:
        job_id = start_export(engine, viewer, "search", "tim-kiem.xlsx", build, params)
    except JobRunning as running:
        return _one_at_a_time(request, running)
    return _started(request, job_id)


@router.post("/jobs/export/audit")
async def export_audit(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    require_audit(viewer)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _form_csrf(request, viewer, form)
    names = ("actor", "entity", "key", "action", "since", "until")
    where = audit_filter(*(form.get(k, "")[:100] for k in names))
    lang = get_lang(request)

    def build(connection: Connection, progress: Progress) -> tuple[bytes, int]:
        progress(10, "rows")
        return audit_book(connection, viewer, where, lang)

    params = {k: form[k] for k in names if form.get(k)}
    try:
        job_id = start_export(engine, viewer, "audit", "nhat-ky.xlsx", build, params)
    except JobRunning as running:
        return _one_at_a_time(request, running)
    return _started(request, job_id)


@router.post("/jobs/{kind}")
async def start(request: Request, engine: DbEngine, viewer: PageViewer, kind: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _form_csrf(request, viewer, form)
    if kind not in may_run(viewer):
        raise HTTPException(403 if kind in ("review", "inspection") else 404)
    year = form.get("year", "")
    if not year.isdigit() or int(year) not in YEARS:
        raise HTTPException(400)
    starter = start_review if kind == "review" else start_inspection
    try:
        job_id = starter(engine, viewer, int(year))
    except JobRunning as running:
        return _one_at_a_time(request, running)
    return _started(request, job_id)


@router.get("/jobs/{job_id}/file")
def job_download(connection: Db, viewer: PageViewer, job_id: JobId) -> Response:
    job = get_job(connection, job_id)
    if job is None or job.kind != "export" or not _visible(viewer, job) or job.state != "done":
        raise HTTPException(404)
    content = job_file(connection, job_id)
    if content is None or job.file_name is None:
        raise HTTPException(404)
    return xlsx_response(job.file_name, content)

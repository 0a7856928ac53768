"""Jobs from the browser: start a review, an inspection or a long export; follow it; its file."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from ansinh.store.jobs import JobInfo, JobRunning, fail_dead, get_job, job_file, recent_jobs
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, require_csrf
from ansinh.web.job_starts import WHOLE, may_run, own_scope, start_inspection, start_review
from ansinh.web.templating import render
from ansinh.web.xlsx import xlsx_response
from ansinh.workflows.jobs import live_progress

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
        year=date.today().year - (1 if date.today().month < 10 else 0),
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


@router.post("/jobs/{kind}")
async def start(request: Request, engine: DbEngine, viewer: PageViewer, kind: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    if kind not in may_run(viewer):
        raise HTTPException(403 if kind in ("review", "inspection") else 404)
    year = form.get("year", "")
    if not year.isdigit() or int(year) not in YEARS:
        raise HTTPException(400)
    starter = start_review if kind == "review" else start_inspection
    try:
        job_id = starter(engine, viewer, int(year))
    except JobRunning as running:
        return RedirectResponse(f"/jobs?running={running.job_id or ''}", status_code=303)
    return RedirectResponse(f"/jobs#job-{job_id}", status_code=303)


@router.get("/jobs/{job_id}/file")
def job_download(connection: Db, viewer: PageViewer, job_id: JobId) -> Response:
    job = get_job(connection, job_id)
    if job is None or job.kind != "export" or not _visible(viewer, job) or job.state != "done":
        raise HTTPException(404)
    content = job_file(connection, job_id)
    if content is None or job.file_name is None:
        raise HTTPException(404)
    return xlsx_response(job.file_name, content)

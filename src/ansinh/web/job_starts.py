"""Who may start which job from the browser, and starting one: review, inspection, export."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine

from ansinh.store.jobs import start_job
from ansinh.web.deps import Viewer
from ansinh.workflows.inspection_run import inspection_work
from ansinh.workflows.jobs import Outcome, Progress, run_in_background
from ansinh.workflows.review_run import review_work

# A review or an inspection run covers the whole registry (a run is the year's current results
# for every unit, as `ansinh review` and `ansinh inspect` make it): one at a time in all.
WHOLE = "*"
# The review writes the year's results of every unit: the province administrator's to run.
REVIEW_RUNNERS = frozenset({"province_admin"})


def own_scope(viewer: Viewer) -> str:
    """An export is its owner's: one at a time per account."""
    return f"account:{viewer.username}"


def may_run(viewer: Viewer) -> set[str]:
    """The jobs this viewer may start from the jobs page."""
    kinds = set()
    if viewer.role.code in REVIEW_RUNNERS:
        kinds.add("review")
    if viewer.reviews:
        kinds.add("inspection")
    return kinds


def start_review(engine: Engine, viewer: Viewer, year: int) -> int:
    job_id = start_job(engine, "review", WHOLE, {"year": year}, viewer.username)
    run_in_background(engine, job_id, review_work(engine, year, viewer.username))
    return job_id


def start_inspection(engine: Engine, viewer: Viewer, year: int) -> int:
    job_id = start_job(engine, "inspection", WHOLE, {"year": year}, viewer.username)
    run_in_background(engine, job_id, inspection_work(engine, year, viewer.username))
    return job_id


Export = Callable[[Connection, Progress], tuple[bytes, int]]


def start_export(
    engine: Engine, viewer: Viewer, what: str, file_name: str, build: Export, params: dict[str, str]
) -> int:
    """An export built in the background by `build` (the workbook and its rows)."""
    job_id = start_job(
        engine, "export", own_scope(viewer), {"what": what, **params}, viewer.username
    )

    def work(progress: Progress) -> Outcome:
        with engine.connect() as connection:
            content, rows = build(connection, progress)
        return Outcome({"what": what, "rows": rows}, file_name, content)

    run_in_background(engine, job_id, work)
    return job_id

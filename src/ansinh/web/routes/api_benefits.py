"""The JSON API of benefits under /api/v1: payroll runs, their lines, approval, by scope."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from ansinh.errors import InputError
from ansinh.store.payroll import get_run, run_lines, runs_in
from ansinh.web.deps import ApiViewer, Db, DbEngine
from ansinh.web.routes.api import _ERRORS
from ansinh.workflows import payroll

router = APIRouter(prefix="/api/v1", responses=_ERRORS, tags=["benefits"])
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class RunPublic(BaseModel):
    id: int
    month: date
    commune_code: str
    status: str
    lines: int
    total_vnd: int
    prepared_by: str
    prepared_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class LinePublic(BaseModel):
    id: int
    person_code: str
    full_name: str
    programme: str
    category: str
    month: date
    kind: str
    base: int | None
    coefficient: str | None
    amount: int
    status: str


class RunDetail(RunPublic):
    line_list: list[LinePublic]


@router.get("/payroll", response_model=list[RunPublic])
def payroll_runs(
    connection: Db,
    viewer: ApiViewer,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> list[dict[str, Any]]:
    """Payroll runs of the caller's communes, newest month first (one month with `month`)."""
    communes = None if viewer.scope.communes is None else sorted(viewer.scope.communes)
    runs = runs_in(connection, communes, limit=1000)
    if month is not None:
        runs = [r for r in runs if f"{r.month:%Y-%m}" == month]
    return [asdict(r) for r in runs]


@router.get("/payroll/{run_id}", response_model=RunDetail)
def payroll_run(connection: Db, viewer: ApiViewer, run_id: RunId) -> dict[str, Any]:
    """A run with its lines; 404 outside the caller's communes."""
    run = get_run(connection, run_id)
    if run is None or not viewer.scope.has_commune(run.commune_code):
        raise HTTPException(404)
    lines = [
        {k: v for k, v in asdict(line).items() if k in LinePublic.model_fields}
        for line in run_lines(connection, run_id)
    ]
    return asdict(run) | {"line_list": lines}


@router.post("/payroll/{run_id}/approve", response_model=RunPublic)
async def approve_run(engine: DbEngine, viewer: ApiViewer, run_id: RunId) -> dict[str, Any]:
    """The province approves a prepared run (403 for other roles, 409 if not prepared)."""
    # A write through the API needs a bearer token: a browser's cookie alone carries no CSRF
    # token here.
    if not viewer.role.approves or viewer.csrf is not None:
        raise HTTPException(403)
    try:
        run = await run_in_threadpool(
            payroll.approve, engine, run_id, viewer.username, viewer.scope
        )
    except LookupError:
        raise HTTPException(404) from None
    except InputError as error:
        raise HTTPException(409, error.summary()) from None
    return asdict(run)

"""A household's exit plan in the browser: shown on its page, edited by an officer of its
commune, every change audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from ansinh.domain.poverty.exit_plans import catalogue
from ansinh.errors import InputError, Problem
from ansinh.store.households import get_household
from ansinh.web.deps import Db, DbEngine, PageViewer, require_csrf, require_edits, require_household
from ansinh.web.templating import render
from ansinh.workflows.exit_plans import PlanForm, edit_plan, plans_of
from ansinh.workflows.review_years import standard_of_year

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def plan_context(connection: Connection, household_id: int) -> dict[str, Any]:
    """What the household page needs to show its plans."""
    plans = plans_of(connection, household_id)
    standards = {p.year: standard_of_year(p.year) for p in plans}
    return {
        "plans": plans,
        "book": catalogue(),
        "standard_ids": {year: s.id for year, s in standards.items() if s is not None},
    }


def _form_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    household_id: int,
    plan_id: int,
    fields: dict[str, str],
    problems: list[Problem],
) -> Response:
    household = get_household(connection, household_id)
    plan = next((p for p in plans_of(connection, household_id) if p.id == plan_id), None)
    if household is None or plan is None:
        raise HTTPException(404)
    return render(
        request,
        "exit_plan_edit.html",
        viewer,
        status_code=400 if problems else 200,
        household=household,
        plan=plan,
        book=catalogue(),
        fields=fields,
        problems=problems,
        held={m.measure for m in plan.measures},
    )


@router.get("/households/{household_id}/plans/{plan_id}")
def plan_page(
    request: Request, connection: Db, viewer: PageViewer, household_id: Id, plan_id: Id
) -> Response:
    require_household(connection, viewer, household_id)
    require_edits(viewer)
    return _form_page(request, connection, viewer, household_id, plan_id, {}, [])


@router.post("/households/{household_id}/plans/{plan_id}")
async def save_plan_page(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    household_id: Id,
    plan_id: Id,
) -> Response:
    require_household(connection, viewer, household_id)  # 404 outside the officer's communes
    require_edits(viewer)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    require_csrf(viewer, fields.get("csrf_token", ""))
    causes = [v for v in form.getlist("cause") if isinstance(v, str)]
    removed = [v for v in form.getlist("remove") if isinstance(v, str)]
    connection.rollback()  # the edit writes on its own connection: end this one's read
    try:
        await run_in_threadpool(
            edit_plan,
            engine,
            household_id,
            plan_id,
            PlanForm(fields, causes, removed),
            viewer.username,
        )
    except InputError as error:
        return _form_page(
            request, connection, viewer, household_id, plan_id, fields, error.problems
        )
    return RedirectResponse(f"/households/{household_id}?plan_saved=1#plan", status_code=303)

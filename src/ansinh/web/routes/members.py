"""A household's members one at a time: removing one (with a reason), recording a decision."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ansinh.store.households import template_rows
from ansinh.web.deps import Db, DbEngine, PageViewer, require_csrf, require_edits, require_household
from ansinh.web.editing import EditOutcome
from ansinh.web.member_forms import FormResult, record_decision, remove
from ansinh.web.routes.households import HouseholdId, edit_form

router = APIRouter(include_in_schema=False)


async def _handle(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    household_id: int,
    act: Callable[[dict[str, str]], FormResult],
    name: str,
) -> Response:
    require_household(connection, viewer, household_id)
    require_edits(viewer)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    connection.rollback()  # the change writes on its own connection: end this one's read
    result = await run_in_threadpool(act, form)
    if not result.problems:
        return RedirectResponse(f"/households/{household_id}?saved=1", status_code=303)
    outcome = EditOutcome([], template_rows(connection, household_id))
    return edit_form(request, connection, viewer, household_id, outcome, 400, **{name: result})


@router.post("/households/{household_id}/members/remove")
async def remove_member(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    household_id: HouseholdId,
) -> Response:
    def act(form: dict[str, str]) -> FormResult:
        return remove(engine, household_id, form, actor=viewer.username)

    return await _handle(request, connection, viewer, household_id, act, "removal")


@router.post("/households/{household_id}/decisions")
async def decide(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    household_id: HouseholdId,
) -> Response:
    members = {row["person_id"] for row in template_rows(connection, household_id)}

    def act(form: dict[str, str]) -> FormResult:
        return record_decision(engine, form, members, actor=viewer.username, scope=viewer.scope)

    return await _handle(request, connection, viewer, household_id, act, "decision")

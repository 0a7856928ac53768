"""The household page (members, each year's review and why, history) and its edit form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ansinh.domain import codelists
from ansinh.store.benefit_decisions import held_in
from ansinh.store.db import reading
from ansinh.store.history import household_entry, household_history
from ansinh.store.households import (
    get_household,
    household_reviews,
    members_of,
    template_rows,
    village_choices,
)
from ansinh.store.inspection_conclusions import confirmed_duplicates
from ansinh.store.payroll import person_payments
from ansinh.store.scope import lineage
from ansinh.web.deps import (
    Admitted,
    Db,
    DbEngine,
    PageViewer,
    get_engine,
    require_csrf,
    require_edits,
    require_household,
    signed_in,
)
from ansinh.web.editing import EditOutcome, field_errors, save_household
from ansinh.web.member_forms import decision_choices
from ansinh.web.routes.exit_plans import plan_context
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)
HouseholdId = Annotated[int, Path(ge=1, le=2**31 - 1)]
EntryId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/households/{household_id}")
def household_page(request: Request, _: Admitted, household_id: HouseholdId) -> Response:
    with reading(get_engine(request)) as connection:
        viewer = signed_in(connection, request)
        household = get_household(connection, household_id)
        # 404 outside the viewer's units as for no household at all, so that ids do not leak.
        if household is None or not viewer.scope.has_commune(household.commune_code):
            raise HTTPException(404)
        held = held_in(connection, household_id)
        listed = ((h.person_id, h.programme, h.category) for each in held.values() for h in each)
        members = members_of(connection, [household_id], listed)[household_id]
        people = [m.id for m in members]
        return render(
            request,
            "household.html",
            viewer,
            household=household,
            lineage=lineage(connection, household.village_code or household.commune_code),
            members=members,
            held=held,
            payments=person_payments(connection, people),
            reviews=household_reviews(connection, household_id),
            history=household_history(connection, household_id),
            duplicates=confirmed_duplicates(
                connection, household_id, {m.code: m.full_name for m in members}
            ),
            saved=request.query_params.get("saved") == "1",
            plan_saved=request.query_params.get("plan_saved") == "1",
            **plan_context(connection, household_id),
        )


@router.get("/households/{household_id}/changes/{entry_id}")
def household_change(
    request: Request, _: Admitted, household_id: HouseholdId, entry_id: EntryId
) -> Response:
    """One change of the household's history, field by field: what the page's history loads
    when the officer opens it (a fragment for htmx, a page of its own without scripts)."""
    with reading(get_engine(request)) as connection:
        viewer = signed_in(connection, request)
        household = get_household(connection, household_id)
        # as the page: 404 outside the viewer's units, and the values only for the roles that
        # see citizen IDs (a person's change holds them)
        if household is None or not viewer.scope.has_commune(household.commune_code):
            raise HTTPException(404)
        entry = household_entry(connection, household_id, entry_id)
        if entry is None or not viewer.role.sees_citizen_ids:
            raise HTTPException(404)
        fragment = request.headers.get("HX-Request") == "true"
        template = "_change_fragment.html" if fragment else "household_change.html"
        return render(request, template, viewer, household=household, e=entry)


def edit_form(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    household_id: HouseholdId,
    outcome: EditOutcome,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The edit form with the outcome of a save (errors beside their fields); `extra` holds
    the member removal's and the decision form's own errors and values."""
    household = get_household(connection, household_id)
    if household is None:
        raise HTTPException(404)
    beside, others = field_errors(outcome.problems, outcome.rows, outcome.added_code)
    rows = [r for r in outcome.rows if r is not outcome.added]
    return render(
        request,
        "household_edit.html",
        viewer,
        status_code=status,
        household=household,
        rows=rows,
        added=outcome.added or {},
        villages=village_choices(connection, household.commune_code),
        relations=codelists.relations(),
        ethnicities=codelists.ethnic_groups(),
        errors=beside,
        problems=others,
        decisions=decision_choices(),
        **({"removal": None, "decision": None} | extra),
    )


@router.get("/households/{household_id}/edit")
def edit_page(
    request: Request, connection: Db, viewer: PageViewer, household_id: HouseholdId
) -> Response:
    require_household(connection, viewer, household_id)
    require_edits(viewer)
    rows = template_rows(connection, household_id)
    return edit_form(request, connection, viewer, household_id, EditOutcome([], rows))


@router.post("/households/{household_id}/edit")
async def edit(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    household_id: HouseholdId,
) -> Response:
    require_household(connection, viewer, household_id)
    require_edits(viewer)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    connection.rollback()  # the edit writes on its own connection: end this one's read
    outcome = await run_in_threadpool(  # off the event loop: it checks and writes as an import
        save_household,
        engine,
        household_id,
        form,
        actor=viewer.username,
        may_edit_citizen_ids=viewer.role.sees_citizen_ids,
        scope=viewer.scope,
    )
    if outcome.saved:
        return RedirectResponse(f"/households/{household_id}?saved=1", status_code=303)
    return edit_form(request, connection, viewer, household_id, outcome, 400)

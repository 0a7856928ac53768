"""The inspection review queue: pending pairs with evidence, overlap findings, decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ansinh.store.inspection import DECISIONS, decide
from ansinh.web.deps import Db, DbEngine, PageViewer, require_csrf, require_review
from ansinh.web.inspection import pending_in_scope, review_queue
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
NOTE_LENGTH = 1000
CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/inspection")
def inspection_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    require_review(viewer)
    found = review_queue(connection, viewer.scope, page, PAGE_SIZE)
    return render(
        request, "inspection.html", viewer, queue=found, page=page,
        pages=max(1, -(-found.total // PAGE_SIZE)),
        decided=request.query_params.get("decided") in DECISIONS,
    )  # fmt: skip


@router.post("/inspection/{candidate_id}")
async def decide_pair(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    candidate_id: CandidateId,
) -> Response:
    require_review(viewer)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    decision = form.get("decision", "")
    if decision not in DECISIONS:
        raise HTTPException(400)
    if not pending_in_scope(connection, viewer.scope, candidate_id):
        raise HTTPException(404)
    connection.rollback()  # the decision writes in its own transaction: end this one's read
    note = form.get("note", "").strip()[:NOTE_LENGTH] or None
    with engine.begin() as writing:
        decide(writing, candidate_id, decision, actor=viewer.username, note=note)
    return RedirectResponse(f"/inspection?decided={decision}", status_code=303)

"""The inspection review queue: pairs side by side with evidence, findings, decisions."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ansinh.store.inspection import DECISIONS, decide
from ansinh.store.inspection_conclusions import FINDING_DECISIONS, decide_finding
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, require_csrf, require_review
from ansinh.web.inspection import (
    BANDS,
    STATUSES,
    QueueFilter,
    findings_in_scope,
    pairs_in_scope,
    pending_in_scope,
    reason,
    review_queue,
    rule_name,
)
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
NOTE_LENGTH = 1000
MAX_AT_ONCE = 200  # pairs or findings decided in one action: more than a page or two is a slip
CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Page = Annotated[int, Query(ge=1, le=100_000)]
Text = Annotated[str, Query(max_length=20)]


@router.get("/inspection")
def inspection_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    page: Page = 1,
    fpage: Page = 1,
    commune: Text = "",
    band: Text = "",
    status: Text = "undecided",
) -> Response:
    require_review(viewer)
    where = QueueFilter(
        commune.strip(),
        band if band in BANDS else "",
        status if status in STATUSES else "undecided",
    )
    found = review_queue(connection, viewer.scope, where, page, PAGE_SIZE, fpage)
    pages = max(1, -(-found.total // PAGE_SIZE))
    fpages = max(1, -(-found.findings_total // PAGE_SIZE))
    if page > pages or fpage > fpages:  # past the last page: the last one, not an empty list
        page, fpage = min(page, pages), min(fpage, fpages)
        found = review_queue(connection, viewer.scope, where, page, PAGE_SIZE, fpage)
    query = urlencode({"commune": where.commune, "band": where.band, "status": where.status})
    return render(
        request,
        "inspection.html",
        viewer,
        queue=found,
        page=page,
        pages=pages,
        fpage=fpage,
        fpages=fpages,
        where=where,
        query=query,
        bands=list(BANDS),
        decided=request.query_params.get("decided") in (*DECISIONS, *FINDING_DECISIONS),
        count=request.query_params.get("count", "")[:4],
        reason=reason,
        rule_name=rule_name,
    )


async def _form(request: Request, viewer: Viewer) -> tuple[dict[str, str], list[str]]:
    """The posted fields, the ticked boxes (`pick`), after checking the CSRF token."""
    posted = await request.form()
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    return form, [v for v in posted.getlist("pick") if isinstance(v, str)]


def _ids(values: list[str]) -> list[int]:
    """The ticked ids; 400 for one that is not a number or for too many at once."""
    if len(values) > MAX_AT_ONCE or not all(v.isdigit() and len(v) < 10 for v in values):
        raise HTTPException(400)
    return sorted({int(v) for v in values})


def _back(form: dict[str, str], decision: str, count: int) -> RedirectResponse:
    """Back to the page the inspector decided from, saying what was recorded."""
    back = form.get("back", "")
    query = back if back.startswith(("commune=", "status=", "band=")) else ""
    said = urlencode({"decided": decision, "count": count})
    return RedirectResponse(f"/inspection?{query}&{said}".replace("?&", "?"), status_code=303)


@router.post("/inspection/pairs")
async def decide_pairs(
    request: Request, engine: DbEngine, connection: Db, viewer: PageViewer
) -> Response:
    """One decision on every ticked pair (or on the one whose own button was pressed)."""
    require_review(viewer)
    form, picked = await _form(request, viewer)
    decision = form.get("decision", "")
    if form.get("one"):  # a pair's own button: "<id>:<decision>", whatever else is ticked
        pair, _, decision = form["one"].partition(":")
        picked = [pair]
    if decision not in DECISIONS:
        raise HTTPException(400)
    ids = _ids(picked)
    allowed = pairs_in_scope(connection, viewer.scope, ids)
    if len(allowed) != len(ids):
        raise HTTPException(404)
    connection.rollback()  # the decisions write in their own transaction: end this one's read
    note = form.get("note", "").strip()[:NOTE_LENGTH] or None
    with engine.begin() as writing:
        for candidate_id in ids:
            decide(writing, candidate_id, decision, actor=viewer.username, note=note)
    return _back(form, decision, len(ids))


@router.post("/inspection/findings")
async def decide_findings(
    request: Request, engine: DbEngine, connection: Db, viewer: PageViewer
) -> Response:
    """One conclusion on every ticked overlap finding: a real overlap, or none."""
    require_review(viewer)
    form, picked = await _form(request, viewer)
    decision = form.get("decision", "")
    if decision not in FINDING_DECISIONS:
        raise HTTPException(400)
    ids = _ids(picked)
    allowed = findings_in_scope(connection, viewer.scope, ids)
    if len(allowed) != len(ids):
        raise HTTPException(404)
    connection.rollback()
    note = form.get("note", "").strip()[:NOTE_LENGTH] or None
    with engine.begin() as writing:
        for finding_id in ids:
            decide_finding(writing, finding_id, decision, actor=viewer.username, note=note)
    return _back(form, decision, len(ids))


@router.post("/inspection/{candidate_id}")
async def decide_pair(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    candidate_id: CandidateId,
) -> Response:
    """One pending pair's decision (the form of each pair before several could be decided)."""
    require_review(viewer)
    form, _ = await _form(request, viewer)
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

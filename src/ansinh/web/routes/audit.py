"""The audit log page: who changed what and when, filtered, for the roles that read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from ansinh.web.audit_view import audit_filter, named, parse_day
from ansinh.web.deps import Db, PageViewer
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100
# The page counts the entries that match no further than this (a hundred pages): the newest
# are shown, and older ones are reached by the filters or the workbook. A count of a national
# log reads all of it on every view.
COUNT_UP_TO = 10_000
Text = Annotated[str, Query(max_length=100)]
Day = Annotated[str, Query(max_length=10)]
EntryId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/audit")
def audit_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    actor: Text = "",
    entity: Text = "",
    key: Text = "",
    action: Text = "",
    since: Day = "",
    until: Day = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    first, last = parse_day(since), parse_day(until)
    # A day that is not one is said beside its field, and the log shown without it.
    bad = [
        name
        for name, text, day in (("since", since, first), ("until", until, last))
        if text.strip() and day is None
    ]
    where = audit_filter(actor, entity, key, action, since, until)
    entries, total = viewer.audit_entries(connection, where, page, PAGE_SIZE, COUNT_UP_TO)
    pages = max(1, -(-min(total, COUNT_UP_TO) // PAGE_SIZE))
    if page > pages:  # past the last page: the last page, not an empty list (workbench item 11)
        page = pages
        entries, total = viewer.audit_entries(connection, where, page, PAGE_SIZE, COUNT_UP_TO)
    return render(
        request,
        "audit.html",
        viewer,
        entries=entries,
        total=min(total, COUNT_UP_TO),
        more=total > COUNT_UP_TO,
        page=page,
        pages=pages,
        where=where,
        entities=named("entity"),
        actions=named("action"),
        since=first,
        until=last,
        bad=bad,
    )


@router.get("/audit/{entry_id}")
def audit_change(
    request: Request, connection: Db, viewer: PageViewer, entry_id: EntryId
) -> Response:
    """One entry's fields, before and after: what a line of the log loads when it is opened (a
    fragment for htmx, a page of its own without scripts). 404 outside the viewer's units."""
    entry = viewer.audit_entry(connection, entry_id)
    if entry is None:
        raise HTTPException(404)
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request, "_change_fragment.html" if fragment else "audit_change.html", viewer, e=entry
    )

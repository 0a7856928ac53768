"""The audit log page: who changed what and when, filtered, for the roles that read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ansinh.store.history import AuditFilter, audit_entities
from ansinh.web.deps import Db, PageViewer
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100
Text = Annotated[str, Query(max_length=100)]


@router.get("/audit")
def audit_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    actor: Text = "",
    entity: Text = "",
    key: Text = "",
    action: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    where = AuditFilter(actor.strip(), entity.strip(), key.strip(), action.strip())
    entries, total = viewer.audit_entries(connection, where, page, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:  # past the last page: the last page, not an empty list (workbench item 11)
        page = pages
        entries, total = viewer.audit_entries(connection, where, page, PAGE_SIZE)
    return render(
        request, "audit.html", viewer, entries=entries, total=total, page=page,
        pages=pages, where=where, entities=audit_entities(connection),
    )  # fmt: skip

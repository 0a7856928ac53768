"""Registry search by name or code, ignoring diacritics and case, within the viewer's units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ansinh.store.search import search_people
from ansinh.web.deps import Db, PageViewer
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/search")
def search_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    result = search_people(connection, viewer.scope, q, by_citizen_id=viewer.role.sees_citizen_ids)
    # htmx asks for the results only, as the officer types.
    name = "_search_results.html" if request.headers.get("hx-request") else "search.html"
    return render(request, name, viewer, q=q, result=result)

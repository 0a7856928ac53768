"""Registry search by name or code, ignoring diacritics and case, within the viewer's units:
ranked, paged, filtered by commune, household status and age band; exported whole."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from ansinh.store.db import reading
from ansinh.store.freshness import VersionedCache, data_version
from ansinh.store.review import current_run
from ansinh.store.scope import Scope
from ansinh.store.search import (
    AGE_BANDS,
    COUNT_LIMIT,
    STATUSES,
    SearchFilter,
    SearchResult,
    communes_to_filter,
    search_people,
)
from ansinh.web.deps import Admitted, Viewer, get_engine, get_lang, signed_in
from ansinh.web.templating import fragment, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=200)]
Code = Annotated[str, Query(max_length=20)]


def narrowed(viewer: Viewer, commune: str) -> Scope:
    """The viewer's units, or one commune of them; 403 for a commune outside."""
    if not commune:
        return viewer.scope
    if not viewer.scope.has_commune(commune):
        raise HTTPException(403)
    return Scope(frozenset({commune}), frozenset({commune}))


def search_filter(connection: Connection, status: str, age: str) -> SearchFilter:
    """The filter asked for; a status is read in the current review run."""
    run = current_run(connection) if status in STATUSES else None
    return SearchFilter(
        status=status if run else None,
        run_id=run.id if run else None,
        age=age if age in AGE_BANDS else None,
        year=date.today().year,
    )


@router.get("/search")
def search_page(
    request: Request,
    _: Admitted,
    q: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    commune: Code = "",
    status: Code = "",
    age: Code = "",
) -> Response:
    lang = get_lang(request)
    with reading(get_engine(request)) as connection:
        viewer = signed_in(connection, request)
        scope = narrowed(viewer, commune)
        filtered = search_filter(connection, status, age)
        shows_ids = viewer.role.sees_citizen_ids
        # The same for every viewer of the same units, text, page, filters, language and right
        # to see citizen IDs, until the registry changes: the word index and the rendering of
        # up to fifty people cost milliseconds, and the same search comes back as an officer
        # types and deletes.
        key = (scope, q, page, commune, filtered, lang, shows_ids)
        searches: VersionedCache = request.app.state.searches
        results = searches.get(
            data_version(connection),
            key,
            lambda: _results(connection, scope, (q, page, commune), filtered, viewer, lang),
        )
        # htmx asks for the results only, as the officer types: not the commune filter's
        # names, read and sorted again (0.3 ms for a province's 99 communes, about 10 ms for
        # a national viewer's 3,300)
        if request.headers.get("hx-request"):
            return HTMLResponse(results)
        communes = communes_to_filter(connection, viewer.scope)
    return render(
        request,
        "search.html",
        viewer,
        q=q,
        results=results,
        communes=communes,
        chosen={"commune": commune, "status": status, "age": age},
        statuses=STATUSES,
        ages=list(AGE_BANDS),
    )


def _results(
    connection: Connection,
    scope: Scope,
    asked: tuple[str, int, str],
    filtered: SearchFilter,
    viewer: Viewer,
    lang: str,
) -> str:
    """The results' fragment: the page asked for, or the last page if it lies past the end."""
    q, page, commune = asked
    shows_ids = viewer.role.sees_citizen_ids

    def cut(page: int) -> SearchResult:
        return search_people(
            connection,
            scope,
            q,
            by_citizen_id=shows_ids,
            filtered=filtered,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )

    result = cut(page)
    pages = max(1, -(-min(result.total, COUNT_LIMIT) // PAGE_SIZE))
    if page > pages:  # never an empty list past the end
        page = pages
        result = cut(page)
    chosen = {"q": q, "commune": commune, "status": filtered.status, "age": filtered.age}
    return fragment(
        "_search_results.html",
        lang,
        q=q,
        result=result,
        page=page,
        pages=pages,
        citizen_id=viewer.citizen_id,
        query={k: v for k, v in chosen.items() if v},
    )

"""Registry search by name or code, ignoring diacritics and case, within the viewer's units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ansinh.store.freshness import VersionedCache, data_version
from ansinh.store.search import search_people
from ansinh.web.deps import Admitted, get_engine, get_lang, signed_in
from ansinh.web.templating import fragment, render

router = APIRouter(include_in_schema=False)


@router.get("/search")
def search_page(
    request: Request,
    _: Admitted,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    lang = get_lang(request)
    with get_engine(request).connect() as connection:
        viewer = signed_in(connection, request)
        shows_ids = viewer.role.sees_citizen_ids
        # The same for every viewer of the same units, text, language and right to see
        # citizen IDs, until the registry changes: the word index and the rendering of up to
        # fifty people cost milliseconds, and the same search comes back as an officer types
        # and deletes.
        key = (viewer.scope, q, lang, shows_ids)
        searches: VersionedCache = request.app.state.searches
        results = searches.get(
            data_version(connection),
            key,
            lambda: fragment(
                "_search_results.html",
                lang,
                q=q,
                result=search_people(connection, viewer.scope, q, by_citizen_id=shows_ids),
                citizen_id=viewer.citizen_id,
            ),
        )
    # htmx asks for the results only, as the officer types.
    if request.headers.get("hx-request"):
        return HTMLResponse(results)
    return render(request, "search.html", viewer, q=q, results=results)

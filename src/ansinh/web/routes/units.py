"""The dashboard and the drill-down: province, commune, village, with figures and households."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Connection

from ansinh.domain.units import COUNTRY_CODE
from ansinh.store.dashboard import trend, unit_figures
from ansinh.store.db import reading
from ansinh.store.freshness import VersionedCache, data_version
from ansinh.store.households import list_households
from ansinh.store.review import current_run
from ansinh.store.scope import Scope, UnitRow, lineage
from ansinh.web import charts
from ansinh.web.charts import SORTS
from ansinh.web.deps import Admitted, PageViewer, get_engine, get_lang, require_unit, signed_in
from ansinh.web.panels import panels_for
from ansinh.web.templating import fragment, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/")
def home(viewer: PageViewer) -> Response:
    """Straight to the viewer's unit when there is one; the country otherwise."""
    roots = sorted(viewer.scope.roots or [COUNTRY_CODE])
    return RedirectResponse(f"/units/{roots[0]}", status_code=303)


@router.get("/units/{code}")
def unit_page(
    request: Request,
    _: Admitted,
    code: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: Annotated[str, Query(max_length=20)] = "name",
    order: Annotated[str, Query(max_length=4)] = "asc",
) -> Response:
    with reading(get_engine(request)) as connection:
        viewer = signed_in(connection, request)
        require_unit(connection, viewer, code)
        units = lineage(connection, code)
        lang = get_lang(request)
        # The same for every viewer of the same units and language until the registry
        # changes; the date because target statuses are as of today.
        sort = sort if sort in SORTS else "name"
        order = "desc" if order == "desc" else "asc"
        key = (code, page, lang, viewer.scope.roots, date.today(), sort, order)
        pages: VersionedCache = request.app.state.pages
        main = pages.get(
            data_version(connection),
            key,
            lambda: _dashboard(connection, viewer.scope, units, page, lang, (sort, order)),
        )
    return render(request, "unit.html", viewer, unit=units[-1], lineage=units, main=main)


def _dashboard(
    connection: Connection,
    scope: Scope,
    units: list[UnitRow],
    page: int,
    lang: str,
    sorting: tuple[str, str],
) -> Markup:
    """The unit's figures, its children's (in the order asked for), the trend, the panels and,
    for a commune or a village, one page of its households."""
    unit = units[-1]
    run = current_run(connection)
    own, children = unit_figures(connection, run.id if run else None, unit.code)
    households = None
    if unit.level in ("commune", "village"):
        where = {"commune": unit.code} if unit.level == "commune" else {"village": unit.code}
        households = list_households(
            connection,
            scope,
            page=page,
            page_size=PAGE_SIZE,
            run_id=run.id if run else None,
            **where,
        )
    return fragment(
        "_unit_main.html",
        lang,
        unit=unit,
        run=run,
        own=own,
        children=children,
        trend=trend(connection, unit.code),
        households=households,
        panels=panels_for(connection, unit.code, scope, run.year if run else None),
        sort=sorting[0],
        order=sorting[1],
        charts=charts,
    )

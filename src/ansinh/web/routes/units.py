"""The dashboard and the drill-down: province, commune, village, with figures and households."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from ansinh.domain.units import COUNTRY_CODE
from ansinh.store.dashboard import trend, unit_figures
from ansinh.store.households import list_households
from ansinh.store.review import current_run
from ansinh.store.scope import lineage
from ansinh.web.deps import Db, PageViewer, require_unit
from ansinh.web.panels import panels_for
from ansinh.web.templating import render

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
    connection: Db,
    viewer: PageViewer,
    code: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    require_unit(connection, viewer, code)
    units = lineage(connection, code)
    unit = units[-1]
    run = current_run(connection)
    own, children = unit_figures(connection, run.id if run else None, code)
    households = None
    if unit.level in ("commune", "village"):
        where = {"commune": code} if unit.level == "commune" else {"village": code}
        households = list_households(
            connection, viewer.scope, page=page, page_size=PAGE_SIZE,
            run_id=run.id if run else None, **where,
        )  # fmt: skip
    return render(
        request,
        "unit.html",
        viewer,
        unit=unit,
        lineage=units,
        run=run,
        own=own,
        children=children,
        trend=trend(connection, code),
        households=households,
        panels=panels_for(connection, code, viewer.scope, run.year if run else None),
    )

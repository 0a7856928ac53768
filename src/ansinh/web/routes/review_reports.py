"""A unit's review reports: the year's flows, the exit plans, the what-if under another
standard, and the report forms as XLSX."""

from __future__ import annotations

import io
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ansinh.domain.poverty.exit_plans import PLAN_COUNTS
from ansinh.domain.poverty.flows import LISTED_FLOWS
from ansinh.errors import InputError
from ansinh.io.whatif_files import by_commune, write_whatif
from ansinh.store.flows import reviewed_years
from ansinh.store.scope import lineage
from ansinh.web import labels
from ansinh.web.deps import Db, PageViewer, get_lang, require_unit
from ansinh.web.templating import render
from ansinh.web.xlsx import xlsx_response
from ansinh.workflows.exit_plans import plans_report
from ansinh.workflows.review_reports import FORM_IDS, write_report_form, year_flows
from ansinh.workflows.whatif import WhatIfReport, comparable_standards, what_if

router = APIRouter(include_in_schema=False)
Year = Annotated[int | None, Query(ge=2000, le=2100)]
StandardId = Annotated[str, Query(max_length=60)]
SHOWN = 200  # households that change, listed on the page; the workbook holds them all


def _level(connection: Db, code: str) -> tuple[str, str]:
    """The unit's name and the level its rows are listed at (provinces under the country,
    communes under anything else: flows and plans are kept by commune)."""
    unit = lineage(connection, code)[-1]
    return unit.name, "province" if unit.level == "country" else "commune"


def _year(connection: Db, year: int | None) -> tuple[int | None, list[int]]:
    years = reviewed_years(connection)
    return (year if year is not None else (years[-1] if years else None)), years


@router.get("/units/{code}/flows")
def flows_page(
    request: Request, connection: Db, viewer: PageViewer, code: str, year: Year = None
) -> Response:
    require_unit(connection, viewer, code)
    name, level = _level(connection, code)
    chosen, years = _year(connection, year)
    flows, problem = None, None
    try:
        flows = year_flows(connection, chosen, code, level) if chosen else None
    except InputError as error:
        problem = error.problems[0]
    return render(
        request,
        "review_flows.html",
        viewer,
        code=code,
        unit_name=name,
        year=chosen,
        years=years,
        flows=flows,
        problem=problem,
        columns=LISTED_FLOWS,
        forms=FORM_IDS,
        tab="flows",
    )


@router.get("/units/{code}/plans")
def plans_page(
    request: Request, connection: Db, viewer: PageViewer, code: str, year: Year = None
) -> Response:
    require_unit(connection, viewer, code)
    name, level = _level(connection, code)
    chosen, years = _year(connection, year)
    rows = plans_report(connection, chosen, code, level) if chosen else None
    return render(
        request,
        "review_plans.html",
        viewer,
        code=code,
        unit_name=name,
        year=chosen,
        years=years,
        rows=rows,
        columns=PLAN_COUNTS,
        tab="plans",
    )


@router.get("/units/{code}/whatif")
async def whatif_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    code: str,
    year: Year = None,
    standard: StandardId = "vn-2027-2030",
) -> Response:
    require_unit(connection, viewer, code)
    name, _ = _level(connection, code)
    chosen, years = _year(connection, year)
    found, problem = None, None
    if chosen is not None:
        try:  # a province's million questionnaires: off the event loop
            found = await run_in_threadpool(
                what_if, connection, chosen, code, standard, viewer.scope.communes
            )
        except InputError as error:
            problem = error.problems[0]
    return render(
        request,
        "review_whatif.html",
        viewer,
        code=code,
        unit_name=name,
        year=chosen,
        years=years,
        standard=standard,
        standards=comparable_standards(),
        found=found,
        problem=problem,
        rows=by_commune(found.result, found.names) if found else None,
        shown=SHOWN,
        tab="whatif",
        unsurveyed=_unsurveyed(found, get_lang(request)),
    )


def _unsurveyed(found: WhatIfReport | None, lang: str) -> list[str]:
    """The names of the indicators no questionnaire of the year answered."""
    if found is None:
        return []
    other = found.result.other.id
    return [labels.indicator(key, other, lang) for key in found.result.not_surveyed]


@router.get("/units/{code}/whatif.xlsx")
def whatif_workbook(
    connection: Db, viewer: PageViewer, code: str, year: int, standard: StandardId
) -> Response:
    require_unit(connection, viewer, code)
    try:
        found = what_if(connection, year, code, standard, viewer.scope.communes)
    except InputError:
        raise HTTPException(404) from None
    with TemporaryDirectory() as folder:
        target = Path(folder) / "whatif.xlsx"
        write_whatif(found.result, found.names, year, found.unit_name, target)
        content = target.read_bytes()
    return xlsx_response(f"so-sanh-chuan-{code}-{year}.xlsx", content)


@router.get("/units/{code}/forms/{form}.xlsx")
def form_workbook(connection: Db, viewer: PageViewer, code: str, form: str, year: int) -> Response:
    require_unit(connection, viewer, code)
    if form not in FORM_IDS:
        raise HTTPException(404)
    _, level = _level(connection, code)
    with TemporaryDirectory() as folder:
        target = Path(folder) / f"{form}.xlsx"
        try:
            write_report_form(connection, form, year, code, level, target)
        except InputError:
            raise HTTPException(404) from None
        content = io.BytesIO(target.read_bytes()).getvalue()
    return xlsx_response(f"mau-{form}-{code}-{year}.xlsx", content)

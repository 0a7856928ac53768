"""The coverage page: by commune, who looks entitled and receives nothing, who is paid and no
longer qualifies ("100 % covered" made checkable), with the lists as XLSX."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ansinh.store.units import unit_names
from ansinh.web import labels
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, get_lang
from ansinh.web.i18n import translator
from ansinh.web.templating import render
from ansinh.web.xlsx import workbook_bytes, xlsx_response
from ansinh.workflows.coverage import Coverage, check_coverage

router = APIRouter(include_in_schema=False)
SHOWN = 200  # people listed on the page; the workbook holds them all


def _communes(connection: Db, viewer: Viewer, commune: str) -> list[str]:
    within = viewer.scope.communes
    if within is None:  # the whole country: one commune at a time, or none
        return [commune] if commune else []
    return [commune] if commune in within else sorted(within)


@router.get("/benefits/coverage")
async def coverage_page(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    commune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    communes = _communes(connection, viewer, commune)
    found = await run_in_threadpool(check_coverage, engine, communes)
    names = unit_names(connection, set(communes)) if communes else {}
    return render(
        request,
        "coverage.html",
        viewer,
        found=found,
        names=names,
        commune=commune,
        shown=SHOWN,
    )


@router.get("/benefits/coverage.xlsx")
async def coverage_workbook(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    commune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    communes = _communes(connection, viewer, commune)
    found: Coverage = await run_in_threadpool(check_coverage, engine, communes)
    lang = get_lang(request)
    t = translator(lang)
    header = [
        t("col.commune"),
        t("col.name"),
        "person_id",
        t("payroll.benefit"),
        t("coverage.age"),
        t("col.status"),
        t("coverage.reason"),
    ]
    rows = [
        (
            r["commune_code"],
            r["full_name"],
            r["person_id"],
            labels.benefit(r["programme"], r["category"], lang),
            r["age"],
            labels.status(r["status"], lang) if r["status"] else "",
            t("coverage.reason." + r["reason"]) if r.get("reason") else t("coverage.unserved"),
        )
        for r in (*found.unserved.iter_rows(named=True), *found.unqualified.iter_rows(named=True))
    ]
    return xlsx_response("bao-phu.xlsx", workbook_bytes("coverage", header, rows))

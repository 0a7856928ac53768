"""The coverage page: by commune, who looks entitled and receives nothing, who is paid and no
longer qualifies ("100 % covered" made checkable), with the lists as XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ansinh.domain.poverty import list_standards
from ansinh.store.units import unit_names
from ansinh.web import labels
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, get_lang
from ansinh.web.i18n import translator
from ansinh.web.templating import render
from ansinh.web.xlsx import workbook_bytes, xlsx_response
from ansinh.workflows.budget import WhatIf, budget_impact
from ansinh.workflows.cards import card_list
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


@router.get("/benefits/cards")
async def cards_page(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    month: Annotated[str, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")] = "",
    commune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    day = _month(month)
    communes = _communes(connection, viewer, commune)
    found = await run_in_threadpool(card_list, engine, communes, day)
    by_group = (
        found.holders.group_by("group")
        .agg(pl.len().alias("people"), pl.col("state_vnd_year").sum().alias("state_vnd_year"))
        .sort("group")
    )
    return render(
        request,
        "cards.html",
        viewer,
        found=found,
        by_group=by_group,
        month=f"{day:%Y-%m}",
        commune=commune,
        names=unit_names(connection, set(communes)) if communes else {},
        shown=SHOWN,
    )


@router.get("/benefits/cards-changes.xlsx")
async def cards_changes(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    month: Annotated[str, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")] = "",
    commune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The month's add/remove list for the social-security agency."""
    day = _month(month)
    found = await run_in_threadpool(card_list, engine, _communes(connection, viewer, commune), day)
    lang = get_lang(request)
    t = translator(lang)
    header = [
        t("col.commune"),
        "person_id",
        t("col.name"),
        t("cards.change"),
        t("cards.group_before"),
        t("cards.group"),
    ]
    rows = [
        (
            r["commune_code"],
            r["person_id"],
            r["full_name"],
            t("cards.change." + r["change"]),
            labels.card_group(r["group_before"], lang),
            labels.card_group(r["group"], lang),
        )
        for r in found.monthly.sort("commune_code", "full_name").iter_rows(named=True)
    ]
    return xlsx_response(
        f"the-bhyt-tang-giam-{day:%Y-%m}.xlsx", workbook_bytes("changes", header, rows)
    )


def _month(text: str) -> date:
    if not text:
        return date.today().replace(day=1)
    return date(int(text[:4]), min(max(int(text[5:7]), 1), 12), 1)


BASE_CHOICES = ("social_assistance_standard", "meritorious_base", "base_salary")


@router.get("/benefits/budget")
async def budget_page(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    month: Annotated[str, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")] = "",
    commune: Annotated[str, Query(max_length=20)] = "",
    standard: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """A year of allowances and cards now and under another standard or base, by commune."""
    day = _month(month)
    communes = _communes(connection, viewer, commune)
    standards = [s.id for s in list_standards()]
    if standard and standard not in standards:
        standard = ""
    overrides = tuple(
        (code, float(value))
        for code in BASE_CHOICES
        if (value := request.query_params.get(code, "").strip()).isdigit()
    )
    found = (
        await run_in_threadpool(
            budget_impact, engine, communes, day, WhatIf(standard or None, overrides)
        )
        if communes
        else None
    )
    return render(
        request,
        "budget.html",
        viewer,
        found=found,
        month=f"{day:%Y-%m}",
        commune=commune,
        standard=standard,
        standards=standards,
        bases=BASE_CHOICES,
        overrides=dict(overrides),
        names=unit_names(connection, set(communes)) if communes else {},
    )

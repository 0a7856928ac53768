"""The coverage page: by commune, who looks entitled and receives nothing, who is paid and no
longer qualifies ("100 % covered" made checkable), with the lists as XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import polars as pl
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ansinh.domain.benefits.cards import groups as card_groups
from ansinh.domain.benefits.housing import housing_rules
from ansinh.domain.poverty import list_standards
from ansinh.errors import InputError
from ansinh.store.housing import balances, candidates, fund_entries, projects
from ansinh.store.units import unit_names
from ansinh.web import labels
from ansinh.web.deps import Db, DbEngine, PageViewer, Viewer, get_lang, require_csrf
from ansinh.web.i18n import translator
from ansinh.web.routes.payroll import Commune, Month, month_of
from ansinh.web.templating import render
from ansinh.web.xlsx import workbook_bytes, xlsx_response
from ansinh.workflows.budget import WhatIf, budget_impact
from ansinh.workflows.cards import card_list
from ansinh.workflows.coverage import Coverage, check_coverage
from ansinh.workflows.housing import (
    add_fund_entry,
    add_project,
    set_project_status,
)

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
    commune: Commune = "",
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


# The workbooks are written on a worker thread (routes defined without async): a province's
# list of a quarter of a million rows took 11 s, the worker's whole event loop stopped with it.
@router.get("/benefits/coverage.xlsx")
def coverage_workbook(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    commune: Commune = "",
) -> Response:
    communes = _communes(connection, viewer, commune)
    found: Coverage = check_coverage(engine, communes)
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
    month: Month = "",
    commune: Commune = "",
) -> Response:
    day = month_of(month)
    communes = _communes(connection, viewer, commune)
    found = await run_in_threadpool(card_list, engine, communes, day)
    order = {g.code: g.order for g in card_groups()}
    by_group = (
        found.holders.group_by("group")
        .agg(pl.len().alias("people"), pl.col("state_vnd_year").sum().alias("state_vnd_year"))
        .sort(pl.col("group").replace_strict(order, default=99), "group")
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
def cards_changes(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    month: Month = "",
    commune: Commune = "",
) -> Response:
    """The month's add/remove list for the social-security agency."""
    day = month_of(month)
    found = card_list(engine, _communes(connection, viewer, commune), day)
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


BASE_CHOICES = ("social_assistance_standard", "meritorious_base", "base_salary")


@router.get("/benefits/budget")
async def budget_page(
    request: Request,
    engine: DbEngine,
    connection: Db,
    viewer: PageViewer,
    month: Month = "",
    commune: Commune = "",
    standard: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """A year of allowances and cards now and under another standard or base, by commune."""
    day = month_of(month)
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


@router.get("/benefits/housing")
def housing_page(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    commune: Commune = "",
) -> Response:
    """Households the review finds without a durable house, projects, and the fund's ledger."""
    return _housing(request, connection, viewer, commune, [])


def _housing(
    request: Request, connection: Db, viewer: Viewer, commune: str, problems: list[object]
) -> Response:
    communes = _communes(connection, viewer, commune)
    units = sorted(set(communes) | set(viewer.scope.roots or ()))
    return render(
        request,
        "housing.html",
        viewer,
        status_code=400 if problems else 200,
        commune=commune,
        candidates=candidates(connection, communes) if communes else [],
        projects=projects(connection, communes) if communes else [],
        balances=balances(connection, units, date.today().year) if units else [],
        entries=fund_entries(connection, units) if units else [],
        units=unit_names_of(connection, units),
        rules=housing_rules(),
        problems=problems,
        notice=request.query_params.get("notice", ""),
    )


@router.post("/benefits/housing")
async def housing_action(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    require_csrf(viewer, form.get("csrf_token", ""))
    if not viewer.role.edits:
        raise HTTPException(403)
    action = form.get("action", "")
    try:
        if action == "project":
            await run_in_threadpool(
                lambda: add_project(
                    engine,
                    viewer.scope,
                    viewer.username,
                    household_code=form.get("household", ""),
                    kind=form.get("kind", ""),
                    amount=_whole(form.get("amount", "")),
                    source=form.get("source", ""),
                    deadline=_day(form.get("deadline", "")),
                    decision_no=form.get("decision_no", "").strip()[:40],
                )
            )
        elif action == "status":
            await run_in_threadpool(
                set_project_status,
                engine,
                viewer.scope,
                viewer.username,
                _whole(form.get("project", "")),
                form.get("status", ""),
                None,
            )
        elif action == "fund":
            await run_in_threadpool(
                lambda: add_fund_entry(
                    engine,
                    viewer.scope,
                    viewer.username,
                    unit_code=form.get("unit_code", ""),
                    on=_day(form.get("entry_date", "")) or date.today(),
                    kind=form.get("kind", ""),
                    line=form.get("line", ""),
                    amount=_whole(form.get("amount", "")),
                    note=form.get("note", ""),
                )
            )
        else:
            raise HTTPException(400)
    except LookupError:
        raise HTTPException(404) from None
    except InputError as error:
        with engine.connect() as connection:
            return _housing(request, connection, viewer, "", list(error.problems))
    return RedirectResponse(f"/benefits/housing?notice={action}", status_code=303)


def _whole(text: str) -> int:
    digits = text.replace(".", "").replace(",", "").strip()
    return int(digits) if digits.isdigit() else 0


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def unit_names_of(connection: Db, codes: list[str]) -> dict[str, str]:
    names = unit_names(connection, set(codes))
    return {code: names.get(code, code) for code in codes}

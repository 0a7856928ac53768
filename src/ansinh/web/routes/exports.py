"""Every list as XLSX: households of a unit, a unit's figures, search results, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ansinh.store.dashboard import unit_figures
from ansinh.store.households import list_households
from ansinh.store.review import current_run
from ansinh.web import labels
from ansinh.web.audit_view import audit_filter
from ansinh.web.deps import Db, PageViewer, get_lang, require_unit
from ansinh.web.export_books import audit_book, search_book
from ansinh.web.i18n import translator
from ansinh.web.routes.search import narrowed, search_filter
from ansinh.web.xlsx import MAX_ROWS, workbook_bytes, xlsx_response

router = APIRouter(include_in_schema=False)
Code = Annotated[str | None, Query(max_length=20)]


@router.get("/export/households.xlsx")
def export_households(
    request: Request, connection: Db, viewer: PageViewer, commune: Code = None, village: Code = None
) -> Response:
    for code in (commune, village):
        if code is not None:
            require_unit(connection, viewer, code)
    run = current_run(connection)
    found = list_households(
        connection, viewer.scope, commune=commune, village=village, page=1, page_size=MAX_ROWS,
        run_id=run.id if run else None,
    )  # fmt: skip
    lang, t = get_lang(request), translator(get_lang(request))
    header = [t(k) for k in ("col.code", "col.head", "col.members", "col.commune", "col.village",
                             "col.address", "col.status")]  # fmt: skip
    rows = (
        (h.code, h.head_name, h.member_count, h.commune_name, h.village_name, h.address,
         labels.status(h.status, lang) if h.status else "")
        for h in found.items
    )  # fmt: skip
    return xlsx_response("ho-gia-dinh.xlsx", workbook_bytes("households", header, rows))


@router.get("/export/units/{code}.xlsx")
def export_unit(request: Request, connection: Db, viewer: PageViewer, code: str) -> Response:
    require_unit(connection, viewer, code)
    run = current_run(connection)
    own, children = unit_figures(connection, run.id if run else None, code)
    t = translator(get_lang(request))
    keys = ("col.code", "col.unit", "col.households", "col.poor", "col.poor_rate",
            "col.near_poor", "col.near_poor_rate", "col.m0")  # fmt: skip
    header = [t(k) for k in keys]
    listed = [*children, own] if own is not None else children
    rows = (
        (f.code, f.name, f.households, f.poor_households, round(f.poor_rate, 4),
         f.near_poor_households, round(f.near_poor_rate, 4), round(f.mpi_m0, 4))
        for f in listed
    )  # fmt: skip
    return xlsx_response(f"don-vi-{code}.xlsx", workbook_bytes(code, header, rows))


@router.get("/export/search.xlsx")
def export_search(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    q: Annotated[str, Query(max_length=200)],
    commune: Code = None,
    status: Code = None,
    age: Code = None,
) -> Response:
    """Every person found (the page shows fifty at a time): the results page starts this as a
    background job (routes/jobs.py); this answers at once, for a script."""
    scope = narrowed(viewer, commune or "")
    filtered = search_filter(connection, status or "", age or "")
    content, _ = search_book(connection, viewer, scope, q, filtered, get_lang(request))
    return xlsx_response("tim-kiem.xlsx", content)


@router.get("/export/audit.xlsx")
def export_audit(
    request: Request,
    connection: Db,
    viewer: PageViewer,
    actor: Annotated[str, Query(max_length=100)] = "",
    entity: Annotated[str, Query(max_length=100)] = "",
    key: Annotated[str, Query(max_length=100)] = "",
    action: Annotated[str, Query(max_length=100)] = "",
    since: Annotated[str, Query(max_length=20)] = "",
    until: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    where = audit_filter(actor, entity, key, action, since, until)
    content, _ = audit_book(connection, viewer, where, get_lang(request))
    return xlsx_response("nhat-ky.xlsx", content)

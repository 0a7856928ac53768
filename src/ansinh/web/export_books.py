"""The workbooks of the long exports (search results, the audit log), built whole, for a request
or a background job alike."""

from __future__ import annotations

from sqlalchemy import Connection

from ansinh.store.history import AuditFilter
from ansinh.store.scope import Scope
from ansinh.store.search import SearchFilter, search_everyone
from ansinh.web import labels
from ansinh.web.deps import Viewer
from ansinh.web.i18n import moment, translator
from ansinh.web.xlsx import MAX_ROWS, workbook_bytes

AUDIT_PAGE = 50_000


def search_book(
    connection: Connection,
    viewer: Viewer,
    scope: Scope,
    typed: str,
    filtered: SearchFilter,
    lang: str,
) -> tuple[bytes, int]:
    """Every person the search finds (not a page of it), as the viewer may see them."""
    found = search_everyone(
        connection, scope, typed, by_citizen_id=viewer.role.sees_citizen_ids, filtered=filtered
    )
    t = translator(lang)
    keys = (
        "col.name",
        "col.birth",
        "col.relation",
        "col.citizen_id",
        "col.household",
        "col.commune",
        "col.village",
    )
    rows = (
        (
            p.full_name,
            p.birth_date,
            labels.relation(p.relation, lang),
            viewer.citizen_id(p.citizen_id),
            p.household_code,
            p.commune_name,
            p.village_name,
        )
        for p in found
    )
    return workbook_bytes("search", [t(k) for k in keys], rows), len(found)


def audit_book(
    connection: Connection, viewer: Viewer, where: AuditFilter, lang: str
) -> tuple[bytes, int]:
    """Every entry of the audit log in the viewer's units, a page at a time; a last row says
    so when a sheet cannot hold them all."""
    t = translator(lang)
    keys = ("col.at", "col.actor", "col.action", "col.entity", "col.key", "col.before", "col.after")
    rows: list[tuple[object, ...]] = []
    for entries in viewer.audit_pages(connection, where, AUDIT_PAGE):
        rows += [
            (moment(e.at), e.actor, e.action, e.entity, e.entity_key, e.before, e.after)
            for e in entries
        ]
        if len(rows) >= MAX_ROWS - 1:
            break
    rows = rows[: MAX_ROWS - 1]
    held = len(rows)
    # Counted only when the sheet is full: a sheet holds no more, said rather than cut in silence
    total = viewer.audit_count(connection, where) if held == MAX_ROWS - 1 else held
    if total > held:
        rows.append((t("export.cut", shown=f"{held:,}", total=f"{total:,}"),))
    return workbook_bytes("audit", [t(k) for k in keys], rows), held

"""Request dependencies: the database connection, who is asking, and what they may see."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection, Engine

from ansinh.config import get_settings
from ansinh.store import accounts
from ansinh.store.accounts import ROLES, AccountInfo, Role
from ansinh.store.history import (
    AuditFilter,
    Entry,
    audit_count,
    audit_entries,
    audit_entry,
    audit_pages,
)
from ansinh.store.scope import Scope, household_commune, lineage, scope_for, sees_unit
from ansinh.web.i18n import LANG_COOKIE, choose
from ansinh.web.security import SESSION_COOKIE, mask_citizen_id, mask_record, same_secret

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


# The review queue is worked by inspectors; the province administrator may work it too.
REVIEW_ROLES = frozenset({"inspector", "province_admin"})


class LoginRequired(Exception):
    """A page asked for by someone not signed in: they are sent to the sign-in page."""


@dataclass(frozen=True)
class Viewer:
    account: AccountInfo
    role: Role
    scope: Scope
    csrf: str | None  # the session's CSRF token; None when signed in by an API token

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def reviews(self) -> bool:
        """Whether the viewer works the inspection review queue."""
        return self.role.reviews or self.role.code in REVIEW_ROLES

    def citizen_id(self, value: str | None) -> str | None:
        return value if self.role.sees_citizen_ids else mask_citizen_id(value)

    def audit_entries(
        self,
        connection: Connection,
        where: AuditFilter,
        page: int,
        page_size: int,
        count_up_to: int | None = None,
    ) -> tuple[list[Entry], int]:
        """A page of the audit log within the viewer's units, records masked as pages are."""
        require_audit(self)
        entries, total = audit_entries(connection, self.scope, where, page, page_size, count_up_to)
        if not self.role.sees_citizen_ids:
            entries = [_masked(e) for e in entries]
        return entries, total

    def audit_pages(
        self, connection: Connection, where: AuditFilter, size: int
    ) -> Iterator[list[Entry]]:
        """Every entry of the audit log within the viewer's units, `size` at a time, masked."""
        require_audit(self)
        for entries in audit_pages(connection, self.scope, where, size):
            yield entries if self.role.sees_citizen_ids else [_masked(e) for e in entries]

    def audit_count(self, connection: Connection, where: AuditFilter) -> int:
        require_audit(self)
        return audit_count(connection, self.scope, where)

    def audit_entry(self, connection: Connection, entry_id: int) -> Entry | None:
        """One entry of the audit log within the viewer's units, masked as the log is."""
        require_audit(self)
        entry = audit_entry(connection, self.scope, entry_id)
        if entry is None or self.role.sees_citizen_ids:
            return entry
        return _masked(entry)


def _masked(entry: Entry) -> Entry:
    return replace(entry, before=mask_record(entry.before), after=mask_record(entry.after))


# Requests of one worker that may hold a database connection at once, behind two gates. Through
# `Db` the connection is taken in one thread-pool call and given back in another, with the
# route's calls between: were more requests than pooled connections let in, those waiting for a
# connection would hold every thread that the holders need to finish (a deadlock until the
# pool's timeout). The others wait at a gate, in the event loop, holding nothing. The server
# keeps as many connections open as both gates let in (web/server.py).
#
# The pages asked for most (dashboard, household, search) go one at a time per worker, on either
# backend: their work is the worker's CPU (SQLite, templates, the answers' rows) and a worker has
# one core. Threads at it contend for the interpreter lock: a thread that let go of it inside
# SQLite, or while PostgreSQL answered, waits for another to give it back, up to the switch
# interval, once for every row (SQLite) or statement (PostgreSQL); those waits made the slow
# tail. Measured with 2 workers and 50 clients (docs/benchmarks.md): on SQLite at 1,000,000
# households, search 1,047 req/s, p95 116 ms one at a time against 826 req/s, 162 ms four at a
# time; on PostgreSQL at 200,000 households, search p95 70-83 ms against 122-155 ms, household
# 227-237 ms against 299-325 ms, at a higher throughput. ANSINH_PAGE_CONCURRENCY raises it for a
# database server far enough away that a worker's core would sit idle while it answers.
PAGE_CONCURRENCY = 1
# The other routes (forms, imports, exports, the API) have their own gate, so that a slow export
# or import never holds up the pages.
DB_CONCURRENCY = 3


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


# One gate of each kind per event loop (a test client runs one loop per request).
_gates: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    WeakKeyDictionary()
)


def _gate(kind: str, size: int) -> asyncio.Semaphore:
    gates = _gates.setdefault(asyncio.get_running_loop(), {})
    if kind not in gates:
        gates[kind] = asyncio.Semaphore(size)
    return gates[kind]


def page_concurrency() -> int:
    """How many of the pages asked for most a worker runs at once."""
    return max(1, get_settings().page_concurrency or PAGE_CONCURRENCY)


async def _page_admitted() -> AsyncIterator[None]:
    async with _gate("page", page_concurrency()):
        yield


async def _admitted() -> AsyncIterator[None]:
    async with _gate("db", DB_CONCURRENCY):
        yield


# For the pages asked for most (dashboard, household, search): admitted by their own gate, and the
# route opens its connection and finds its viewer itself (`signed_in`), in the one thread-pool
# call that runs it. Each call costs about a quarter of a millisecond of the worker's only
# core; through `Db` and `PageViewer` a page makes four.
Admitted = Annotated[None, Depends(_page_admitted)]


def get_connection(
    request: Request, _: Annotated[None, Depends(_admitted)]
) -> Iterator[Connection]:
    with get_engine(request).connect() as connection:
        yield connection


async def lang_of(request: Request) -> str:
    """The language as a dependency: async, so that it costs no thread-pool call."""
    return get_lang(request)


def get_lang(request: Request) -> str:
    return choose(request.cookies.get(LANG_COOKIE))


async def engine_of(request: Request) -> Engine:
    """The engine as a dependency: async, so that it costs no thread-pool call."""
    return get_engine(request)


DbEngine = Annotated[Engine, Depends(engine_of)]
Db = Annotated[Connection, Depends(get_connection)]
Lang = Annotated[str, Depends(lang_of)]


def _viewer(connection: Connection, token: str | None, kind: str | None) -> Viewer | None:
    if not token:
        return None
    owner = accounts.token_owner(connection, token)
    if owner is None or (kind is not None and owner.kind != kind):
        return None
    scope = scope_for(connection, owner.account.units)
    return Viewer(owner.account, ROLES[owner.account.role], scope, owner.csrf)


def optional_viewer(request: Request, connection: Db) -> Viewer | None:
    return _viewer(connection, request.cookies.get(SESSION_COOKIE), "session")


async def page_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise LoginRequired()
    return viewer


def signed_in(connection: Connection, request: Request) -> Viewer:
    """The viewer of a page, as `PageViewer` gives it, for routes that open their connection."""
    viewer = _viewer(connection, request.cookies.get(SESSION_COOKIE), "session")
    if viewer is None:
        raise LoginRequired()
    return viewer


def api_viewer(
    request: Request, connection: Db, token: Annotated[str | None, Depends(bearer)]
) -> Viewer:
    """A Bearer token, or the browser's session cookie; 401 without either."""
    viewer = _viewer(connection, token, "api") if token else None
    if viewer is None and not token:
        viewer = _viewer(connection, request.cookies.get(SESSION_COOKIE), "session")
    if viewer is None:
        raise HTTPException(
            401, "Chưa đăng nhập / not authenticated", headers={"WWW-Authenticate": "Bearer"}
        )
    return viewer


PageViewer = Annotated[Viewer, Depends(page_viewer)]
MaybeViewer = Annotated[Viewer | None, Depends(optional_viewer)]
ApiViewer = Annotated[Viewer, Depends(api_viewer)]


def require_unit(connection: Connection, viewer: Viewer, code: str) -> None:
    """403 for a unit outside the viewer's scope (404 if it does not exist at all)."""
    units = lineage(connection, code)
    if not units:
        raise HTTPException(404)
    if not sees_unit(viewer.scope, units):
        raise HTTPException(403)


def require_edits(viewer: Viewer) -> None:
    if not viewer.role.edits:
        raise HTTPException(403)


def require_csrf(viewer: Viewer, given: str) -> None:
    """A form of a signed-in session must carry the session's CSRF token."""
    if viewer.csrf is None or not same_secret(given, viewer.csrf):
        raise HTTPException(403)


def require_household(connection: Connection, viewer: Viewer, household_id: int) -> str:
    """The household's commune if the viewer may see it; 404 otherwise, so ids do not leak."""
    commune = household_commune(connection, household_id)
    if commune is None or not viewer.scope.has_commune(commune):
        raise HTTPException(404)
    return commune


def require_audit(viewer: Viewer) -> None:
    if not viewer.role.reads_audit:
        raise HTTPException(403)


def require_review(viewer: Viewer) -> None:
    if not viewer.reviews:
        raise HTTPException(403)

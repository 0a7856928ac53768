"""Reading the audit log: a household's history, and the log page with its filters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, func, or_, select, true

from ansinh.store.models import AuditEntry, Unit
from ansinh.store.scope import Scope


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    batch: str | None
    before: str | None
    after: str | None


_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.entity,
    AuditEntry.entity_key,
    AuditEntry.batch,
    AuditEntry.before,
    AuditEntry.after,
)


# Built once: the page asks for it on every view.
_HISTORY = (
    select(*_COLUMNS)
    .where(AuditEntry.household_id == bindparam("household_id"))
    .order_by(AuditEntry.id.desc())
    .limit(bindparam("limit"))
)


def household_history(connection: Connection, household_id: int, limit: int = 200) -> list[Entry]:
    """Changes to the household, its members, their benefits and its questionnaires, newest
    first: one range of the index on the household of each change (migration 0005)."""
    rows = connection.execute(_HISTORY, {"household_id": household_id, "limit": limit})
    return [_entry(row) for row in rows]


def household_entry(connection: Connection, household_id: int, entry_id: int) -> Entry | None:
    """One change of the household's history; None when the change is not the household's."""
    row = connection.execute(
        select(*_COLUMNS).where(AuditEntry.id == entry_id, AuditEntry.household_id == household_id)
    ).first()
    return None if row is None else _entry(row)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    entity: str = ""
    key: str = ""
    action: str = ""
    since: datetime | None = None  # from this moment on
    before: datetime | None = None  # up to, not including, this moment


def audit_entries(
    connection: Connection,
    scope: Scope,
    where: AuditFilter,
    page: int,
    page_size: int,
    count_up_to: int | None = None,
) -> tuple[list[Entry], int]:
    """One page of the log within `scope`, newest first, and how many entries match (see
    `audit_count` for `count_up_to`)."""
    total = audit_count(connection, scope, where, count_up_to)
    skipped = (page - 1) * page_size
    listed = _newest(connection, scope, where, skipped + page_size)
    rows = connection.execute(
        select(*_COLUMNS)
        .where(AuditEntry.id.in_(listed.limit(page_size).offset(skipped)))
        .order_by(*NEWEST_FIRST)
    )
    return [_entry(row) for row in rows], total


# Newest first in the order written, as a household's history: by time then id, the entries of
# an import (a million of one time) were sorted to find the first page's 100 (286 ms at
# 1,000,000 households on PostgreSQL).
NEWEST_FIRST = (AuditEntry.id.desc(),)


def audit_count(
    connection: Connection, scope: Scope, where: AuditFilter, up_to: int | None = None
) -> int:
    """How many entries of the log within `scope` match; with `up_to`, counted no further than
    one past it (a count of every entry of a province read 7.7 million index entries, 1.3 s,
    at 1,000,000 households)."""
    matching = _newest(connection, scope, where, None if up_to is None else up_to + 1, False)
    return int(connection.scalar(select(func.count()).select_from(matching.subquery())) or 0)


def audit_pages(
    connection: Connection, scope: Scope, where: AuditFilter, size: int
) -> Iterator[list[Entry]]:
    """Every entry `audit_entries` lists, newest first, `size` at a time: each batch starts
    below the last id of the one before, so that the twentieth reads no more than the first
    (an OFFSET reads every entry before its page again). Read from the whole log newest first,
    not unit by unit (`_newest`): each unit's `size` newest would read most of a province for
    every batch, where the batches together read the log once."""
    conditions = _conditions(connection, scope, where)
    below: int | None = None
    while True:
        bounded = conditions if below is None else [*conditions, AuditEntry.id < below]
        rows = connection.execute(
            select(*_COLUMNS).where(*bounded).order_by(*NEWEST_FIRST).limit(size)
        ).all()
        if rows:
            yield [_entry(row) for row in rows]
        if len(rows) < size:
            return
        below = rows[-1][0]


def _newest(
    connection: Connection,
    scope: Scope,
    where: AuditFilter,
    limit: int | None,
    ordered: bool = True,
) -> Select[Any]:
    """The ids of at most `limit` entries within `scope` that `where` keeps: the newest, unless
    not `ordered` (any, for a count).

    On PostgreSQL the unfiltered log of a scope is read unit by unit, each unit's newest first
    through the index on (unit, id), and the newest of them kept. Read newest first from the
    whole log, a province read back through every entry other provinces wrote since its own
    last change: 1.5 million entries and 0.3 s for the first page below a second province's
    import of 250,000 households; national size makes them hundreds of millions. A filtered
    page, and every entry (an exact count), are read from the whole log with the scope's units
    listed: unit by unit, an action that a province of 7.7 million entries held once read
    each unit's entries at random, 4.8 s against 1.2 s."""
    filtered = bool(_kept(where))
    if scope.everything or limit is None or filtered or connection.dialect.name != "postgresql":
        listed = select(AuditEntry.id).where(*_conditions(connection, scope, where)).limit(limit)
        return listed.order_by(*NEWEST_FIRST) if ordered else listed
    units = _units_within(scope).subquery()
    each = (
        select(AuditEntry.id)
        .where(AuditEntry.unit_code == units.c.code)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .lateral()
    )
    listed = select(each.c.id).select_from(units.join(each, true())).limit(limit)
    return listed.order_by(each.c.id.desc()) if ordered else listed


def _conditions(
    connection: Connection, scope: Scope, where: AuditFilter
) -> list[ColumnElement[bool]]:
    """The log's entries within `scope` that `where` keeps. The scope's units are read first
    and listed: as a subquery PostgreSQL joined them to the log, and misjudging how many
    entries an action had, scanned the units once for each of 40,000 entries (49 s)."""
    conditions = _kept(where)
    if not scope.everything:
        units = list(connection.scalars(_units_within(scope)))
        conditions.append(AuditEntry.unit_code.in_(units))
    return conditions


def _kept(where: AuditFilter) -> list[ColumnElement[bool]]:
    """The log's entries that `where` keeps, wherever they are."""
    conditions = [
        column == value
        for column, value in (
            (AuditEntry.actor, where.actor),
            (AuditEntry.entity, where.entity),
            (AuditEntry.entity_key, where.key),
            (AuditEntry.action, where.action),
        )
        if value
    ]
    # In UTC: SQLite keeps the UTC time without its zone and compares the text.
    if where.since is not None:
        conditions.append(AuditEntry.at >= where.since.astimezone(UTC))
    if where.before is not None:
        conditions.append(AuditEntry.at < where.before.astimezone(UTC))
    return conditions


def audit_entry(connection: Connection, scope: Scope, entry_id: int) -> Entry | None:
    """One entry of the log, if it lies within `scope` (as `audit_entries` keeps them)."""
    conditions = [AuditEntry.id == entry_id]
    if not scope.everything:
        conditions.append(AuditEntry.unit_code.in_(_units_within(scope)))
    row = connection.execute(select(*_COLUMNS).where(*conditions)).first()
    return None if row is None else _entry(row)


def _entry(row: Any) -> Entry:
    """An entry whose time says its zone: SQLite gives back the UTC it was written in without."""
    at = row[1] if row[1].tzinfo is not None else row[1].replace(tzinfo=UTC)
    return Entry(row[0], at, *row[2:])


def _units_within(scope: Scope) -> Select[Any]:
    """The codes of the scope's units: its roots, their communes and the communes' villages.

    A change with no unit (one of the whole registry) is in no such scope.
    """
    roots, communes = sorted(scope.roots or ()), sorted(scope.communes or ())
    return select(Unit.code).where(
        or_(Unit.code.in_(roots), Unit.code.in_(communes), Unit.parent_code.in_(communes))
    )

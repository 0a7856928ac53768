"""Reading the audit log: a household's history, and the log page with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, func, select, union_all

from ansinh.store.models import AuditEntry


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


def _under(code: str) -> ColumnElement[bool]:
    """Keys 'CODE/...' as an index range ('/' sorts just before '0'), not a LIKE scan."""
    return and_(AuditEntry.entity_key >= f"{code}/", AuditEntry.entity_key < f"{code}0")


def household_history(
    connection: Connection, household_code: str, person_codes: list[str], limit: int = 200
) -> list[Entry]:
    """Changes to the household, its members, their benefits and its questionnaires."""
    about: list[ColumnElement[bool]] = [
        and_(AuditEntry.entity == "household", AuditEntry.entity_key == household_code),
        and_(AuditEntry.entity == "survey", _under(household_code)),
    ]
    if person_codes:
        about.append(and_(AuditEntry.entity == "person", AuditEntry.entity_key.in_(person_codes)))
        about += [and_(AuditEntry.entity == "benefit", _under(c)) for c in person_codes]
    # One indexed lookup per condition: an OR over them would scan the whole log.
    found = union_all(*(select(*_COLUMNS).where(condition) for condition in about)).subquery()
    rows = connection.execute(
        select(found).order_by(found.c.at.desc(), found.c.id.desc()).limit(limit)
    )
    return [Entry(*row) for row in rows]


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    entity: str = ""
    key: str = ""
    action: str = ""


def audit_entries(
    connection: Connection, where: AuditFilter, page: int, page_size: int
) -> tuple[list[Entry], int]:
    """One page of the log, newest first, and how many entries match."""
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
    total = connection.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    rows = connection.execute(
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return [Entry(*row) for row in rows], int(total or 0)


def audit_entities(connection: Connection) -> list[str]:
    return list(
        connection.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    )

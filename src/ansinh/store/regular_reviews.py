"""Regular reviews (Decision 24/2021 Art. 5): a household applies in any month, the commune
reviews it from the 15th and decides; the monthly report of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, func, insert, select, update

from ansinh.errors import InputError
from ansinh.store import frames
from ansinh.store.audit import now, record_change
from ansinh.store.models import Household, ReviewRun
from ansinh.store.review_changes import change_status, status_in_year
from ansinh.store.review_models import ReviewApplication
from ansinh.store.scope import Scope


def _problem(column: str, vi: str, en: str) -> InputError:
    return InputError.single("regular_review", vi, en, column=column)


def list_year(connection: Connection, on: date) -> int:
    """The year of the lists a regular review on `on` changes: the latest reviewed year up to
    `on`'s own (the lists recognised last December hold until the next periodic review)."""
    year = connection.scalar(
        select(func.max(ReviewRun.year)).where(
            ReviewRun.year <= on.year, ReviewRun.what_if.is_not(True)
        )
    )
    if year is None:
        raise _problem("applied_on", "Chưa có kết quả rà soát", "No review results yet")
    return int(year)


@dataclass(frozen=True)
class Application:
    household_code: str
    applied_on: date
    decided_on: date | None = None
    status_after: str | None = None
    decision_no: str | None = None


def record_application(
    connection: Connection, new: Application, *, actor: str, scope: Scope, today: date
) -> int:
    """Register a household's application, with its decision when given; its id."""
    row = connection.execute(
        select(Household.id, Household.commune_code).where(
            Household.code == new.household_code.strip()
        )
    ).first()
    if row is None or not scope.has_commune(row.commune_code):
        raise _problem(
            "household",
            f"Không có hộ '{new.household_code}'",
            f"No household '{new.household_code}'",
        )
    if new.applied_on > today:
        raise _problem("applied_on", "Ngày nộp chưa đến", "The day applied is in the future")
    year = list_year(connection, new.applied_on)
    values = {
        "household_id": row.id,
        "commune_code": row.commune_code,
        "year": year,
        "applied_on": new.applied_on,
        "status_before": status_in_year(connection, row.id, year),
        "recorded_by": actor,
        "recorded_at": now(),
    }
    found = connection.execute(insert(ReviewApplication).returning(ReviewApplication.id), values)
    application_id = int(found.scalar_one())
    record_change(
        connection,
        actor=actor,
        action="regular_review",
        entity="review_application",
        key=str(application_id),
        after={k: v for k, v in values.items() if k != "recorded_at"},
        household_id=row.id,
    )
    if new.decided_on is not None:
        decide_application(
            connection,
            application_id,
            new.decided_on,
            new.status_after or "",
            new.decision_no or "",
            actor=actor,
            scope=scope,
            today=today,
        )
    return application_id


def decide_application(
    connection: Connection,
    application_id: int,
    decided_on: date,
    status_after: str,
    decision_no: str,
    *,
    actor: str,
    scope: Scope,
    today: date,
) -> None:
    """The commune chair's decision on an application; the household's status changes with it."""
    table = ReviewApplication.__table__
    application = connection.execute(select(table).where(table.c.id == application_id)).first()
    if application is None or not scope.has_commune(application.commune_code):
        raise LookupError(application_id)
    if application.decided_on is not None:
        raise _problem("decided_on", "Đơn đã có quyết định", "The application is decided already")
    if not application.applied_on <= decided_on <= today:
        raise _problem(
            "decided_on",
            "Ngày quyết định phải từ ngày nộp đến hôm nay",
            "The day decided must be between the day applied and today",
        )
    if not decision_no.strip():
        raise _problem("decision_no", "Cần số quyết định", "The decision's number is needed")
    change_status(
        connection,
        household_id=application.household_id,
        year=application.year,
        status=status_after,
        reason="regular_review",
        reference=f"{application_id}: {decision_no.strip()}",
        on=decided_on,
        actor=actor,
    )
    connection.execute(
        update(ReviewApplication)
        .where(ReviewApplication.id == application_id)
        .values(decided_on=decided_on, status_after=status_after, decision_no=decision_no.strip())
    )


MONTHLY_SCHEMA = {
    "commune_code": pl.String,
    "status_before": pl.String,
    "status_after": pl.String,
    "applications": pl.Int64,
    "decided": pl.Int64,
}


def monthly_report(connection: Connection, communes: list[str] | None, month: date) -> pl.DataFrame:
    """The month's regular reviews by commune and change of status (before → after; after is
    null while undecided): applications received in the month, and how many are decided."""
    a = ReviewApplication
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    query = (
        select(
            a.commune_code,
            a.status_before,
            a.status_after,
            func.count().label("applications"),
            func.count(a.decided_on).label("decided"),
        )
        .where(a.applied_on >= month.replace(day=1), a.applied_on < end)
        .group_by(a.commune_code, a.status_before, a.status_after)
        .order_by(a.commune_code, a.status_before, a.status_after)
    )
    if communes is not None:
        query = query.where(a.commune_code.in_(communes))
    return frames.read_frame(connection, query, MONTHLY_SCHEMA)

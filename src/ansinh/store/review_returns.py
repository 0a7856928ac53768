"""The reports the province sent back to a commune: the one still to correct, and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from ansinh.store.review_models import ReviewReturn, ReviewStage


@dataclass(frozen=True)
class ReturnRow:
    commune_code: str
    stage: str
    stage_done_on: date
    back_to: str
    returned_on: date
    reason: str
    recorded_by: str


_COLUMNS = (
    ReviewReturn.commune_code,
    ReviewReturn.stage,
    ReviewReturn.stage_done_on,
    ReviewReturn.back_to,
    ReviewReturn.returned_on,
    ReviewReturn.reason,
    ReviewReturn.recorded_by,
)


def last_returned_on(connection: Connection, commune: str, year: int) -> date | None:
    """The last day a report of the commune's year was sent back: nothing is reported again
    before it."""
    found: date | None = connection.scalar(
        select(func.max(ReviewReturn.returned_on)).where(
            ReviewReturn.commune_code == commune, ReviewReturn.year == year
        )
    )
    return found


def returns_of(connection: Connection, commune: str, year: int) -> list[ReturnRow]:
    """Every return of the commune's year, the latest first."""
    rows = connection.execute(
        select(*_COLUMNS)
        .where(ReviewReturn.commune_code == commune, ReviewReturn.year == year)
        .order_by(ReviewReturn.id.desc())
    ).all()
    return [ReturnRow(*row) for row in rows]


def open_returns(connection: Connection, communes: list[str], year: int) -> dict[str, ReturnRow]:
    """Per commune, its latest return while the stage sent back is not recorded again: what the
    commune must still correct and report."""
    latest = (
        select(func.max(ReviewReturn.id))
        .where(ReviewReturn.year == year, ReviewReturn.commune_code.in_(communes))
        .group_by(ReviewReturn.commune_code)
    )
    again = (
        select(ReviewStage.id)
        .where(
            ReviewStage.commune_code == ReviewReturn.commune_code,
            ReviewStage.year == ReviewReturn.year,
            ReviewStage.stage == ReviewReturn.stage,
        )
        .exists()
    )
    rows = connection.execute(select(*_COLUMNS).where(ReviewReturn.id.in_(latest), ~again)).all()
    return {row.commune_code: ReturnRow(*row) for row in rows}

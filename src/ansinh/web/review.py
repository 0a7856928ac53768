"""What the review's pages show: a commune's work list (with the report the province sent
back), the province's progress, and the dashboard's panel of complaints past their deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ansinh.domain.review_stages import ReturnRule, Stage, StageRules, stage_rules
from ansinh.store.models import ReviewRun
from ansinh.store.review_complaints import ComplaintRow, complaints_in
from ansinh.store.review_returns import ReturnRow, open_returns, returns_of
from ansinh.store.review_stages import (
    StageRow,
    ToSurvey,
    commune_year,
    households_to_survey,
    is_draft,
    stages_of,
)
from ansinh.store.scope import Scope, scope_for
from ansinh.web.panels import Panel, register

TO_SURVEY_SHOWN = 50


def review_year(connection: Connection) -> int:
    """The year the pages open on: the latest reviewed, else this year."""
    year = connection.scalar(select(func.max(ReviewRun.year)).where(ReviewRun.what_if.is_not(True)))
    return int(year) if year is not None else date.today().year


@dataclass(frozen=True)
class StageLine:
    stage: Stage
    done: StageRow | None


@dataclass(frozen=True)
class WorkList:
    commune: str
    year: int
    lines: list[StageLine]
    next_stage: Stage | None
    to_survey: ToSurvey
    draft: bool
    complaints: list[ComplaintRow]
    open_complaints: int
    sendable: ReturnRule | None  # what the province may send back now
    open_return: ReturnRow | None  # the report sent back, until the commune reports again
    returns: list[ReturnRow]  # every return of the year, the latest first


def work_list(connection: Connection, commune: str, year: int, today: date) -> WorkList:
    rules = stage_rules()
    done = {row.stage: row for row in stages_of(connection, commune, year)}
    lines = [StageLine(stage, done.get(stage.code)) for stage in rules.stages]
    next_stage = next((line.stage for line in lines if line.done is None), None)
    complaints = complaints_in(connection, [commune], today, year)
    return WorkList(
        commune=commune,
        year=year,
        lines=lines,
        next_stage=next_stage,
        to_survey=households_to_survey(connection, commune, year, TO_SURVEY_SHOWN),
        draft=is_draft(connection, commune, year),
        complaints=complaints,
        open_complaints=commune_year(connection, commune, year).open_complaints,
        sendable=_sendable(rules, set(done)),
        open_return=open_returns(connection, [commune], year).get(commune),
        returns=returns_of(connection, commune, year),
    )


def _sendable(rules: StageRules, done: set[str]) -> ReturnRule | None:
    """The return rule whose stage is done and whose sign-off is not (stages.yaml `returns`)."""
    return next((r for r in rules.returns if r.stage in done and r.until not in done), None)


@register
def overdue_panel(
    connection: Connection, unit_code: str, scope: Scope, year: int | None
) -> Panel | None:
    """Complaints about the review past a deadline in the unit's communes (within the scope)."""
    communes = scope_for(connection, (unit_code,)).communes or frozenset()
    if scope.communes is not None:
        communes = communes & scope.communes
    if not communes:
        return None
    today = date.today()
    found = complaints_in(connection, sorted(communes), today, None, open_only=True)
    overdue = [c for c in found if c.standing == "overdue"]
    due_soon = [c for c in found if c.standing == "due_soon"]
    if not overdue and not due_soon:
        return None
    context: dict[str, Any] = {"overdue": overdue, "due_soon": due_soon}
    return Panel("_review_panel.html", context)

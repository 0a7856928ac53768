"""The province sends a commune's report of a year back with a reason: the stages it undoes are
deleted (the audit log keeps them), the return is kept and shown to the commune until it
reports again. The rule is stages.yaml `returns` (domain.review_returns)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, delete, insert, select

from ansinh.domain.review_returns import SendBack, return_refusal
from ansinh.domain.review_stages import stage_rules
from ansinh.errors import InputError
from ansinh.store.audit import now, record_change
from ansinh.store.models import Unit
from ansinh.store.review_models import ReviewReturn, ReviewStage
from ansinh.store.review_stages import commune_year
from ansinh.store.scope import Scope


def send_back(
    connection: Connection,
    *,
    commune: str,
    year: int,
    on: date,
    reason: str,
    actor: str,
    scope: Scope,
    today: date,
    province: bool,
) -> SendBack:
    """Send the commune's report of `year` back on `on`; what it undid. Refused with the
    reason (no right, outside the user's units, not reported, signed off already, no reason, a
    bad date), nothing written."""
    _check_commune(connection, commune, scope)
    state = commune_year(connection, commune, year)
    found = return_refusal(stage_rules(), state, on, today, reason, province)
    if not isinstance(found, SendBack):
        cited = f" ({found.citation})" if found.citation else ""
        raise InputError.single("return", found.vi + cited, found.en + cited, column="reason")
    before = _undo(connection, commune, year, found.undone)
    values = {
        "commune_code": commune,
        "year": year,
        "stage": found.rule.stage,
        "stage_done_on": state.done[found.rule.stage],
        "back_to": found.rule.back_to,
        "returned_on": on,
        "reason": reason.strip(),
        "recorded_by": actor,
        "recorded_at": now(),
    }
    connection.execute(insert(ReviewReturn).values(**values))
    record_change(
        connection,
        actor=actor,
        action="review_return",
        entity="review_stage",
        key=f"{commune}/{year}/{found.rule.stage}",
        before=before,
        after={k: v for k, v in values.items() if k != "recorded_at"},
        unit_code=commune,
    )
    return found


def _check_commune(connection: Connection, commune: str, scope: Scope) -> None:
    level = connection.scalar(select(Unit.level).where(Unit.code == commune))
    if level != "commune":
        raise InputError.single("commune", f"Không có xã '{commune}'", f"No commune '{commune}'")
    if not scope.has_commune(commune):
        raise InputError.single(
            "commune",
            f"Xã {commune} không thuộc đơn vị bạn quản lý: không trả lại được",
            f"Commune {commune} is outside your units: you cannot send its report back",
        )


def _undo(
    connection: Connection, commune: str, year: int, stages: tuple[str, ...]
) -> dict[str, object]:
    """Delete the stages undone; what they were, for the audit log."""
    where = (
        ReviewStage.commune_code == commune,
        ReviewStage.year == year,
        ReviewStage.stage.in_(stages),
    )
    rows = connection.execute(
        select(
            ReviewStage.stage,
            ReviewStage.done_on,
            ReviewStage.decision_no,
            ReviewStage.note,
            ReviewStage.recorded_by,
        ).where(*where)
    ).all()
    connection.execute(delete(ReviewStage).where(*where))
    return {row.stage: {k: v for k, v in row._asdict().items() if k != "stage"} for row in rows}

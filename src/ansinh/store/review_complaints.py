"""The complaints register of the review: who complained about which household or list, when
and how, its deadlines (domain.complaints), and its decision and effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ansinh.domain.complaints import ComplaintRules, complaint_rules, deadlines, standing
from ansinh.errors import InputError
from ansinh.store.audit import now, record_change
from ansinh.store.models import Household, Unit
from ansinh.store.review_changes import change_status
from ansinh.store.review_models import ReviewComplaint
from ansinh.store.scope import Scope


@dataclass(frozen=True)
class NewComplaint:
    commune: str
    year: int
    complainant: str
    channel: str
    received_on: date
    household_code: str | None = None  # None: about the whole list
    summary: str | None = None
    complex_case: bool = False
    accepted_on: date | None = None


def _problem(column: str, vi: str, en: str) -> InputError:
    return InputError.single("complaint", vi, en, column=column)


def add_complaint(
    connection: Connection, new: NewComplaint, *, actor: str, scope: Scope, today: date
) -> int:
    """Register a complaint with its deadlines; its id. Nothing written on bad input."""
    rules = complaint_rules()
    remote = _commune_remote(connection, new.commune, scope)
    household_id = _household(connection, new.household_code, new.commune)
    if not new.complainant.strip():
        raise _problem("complainant", "Cần tên người khiếu nại", "The complainant's name is needed")
    if new.channel not in rules.channels:
        raise _problem(
            "channel",
            f"Hình thức phải là một trong: {', '.join(rules.channels)}",
            f"The channel must be one of: {', '.join(rules.channels)}",
        )
    _check_days(new.received_on, new.accepted_on, today)
    limits = deadlines(rules, new.received_on, new.accepted_on, new.complex_case, remote)
    values: dict[str, Any] = {
        "commune_code": new.commune,
        "year": new.year,
        "household_id": household_id,
        "complainant": new.complainant.strip()[:200],
        "channel": new.channel,
        "summary": (new.summary or "").strip()[:1000] or None,
        "received_on": new.received_on,
        "accepted_on": new.accepted_on,
        "complex_case": new.complex_case,
        "remote": remote,
        "acknowledge_by": limits.acknowledge_by,
        "decide_by": limits.decide_by,
        "recorded_by": actor,
        "recorded_at": now(),
    }
    found = connection.execute(insert(ReviewComplaint).returning(ReviewComplaint.id), values)
    complaint_id = int(found.scalar_one())
    record_change(
        connection,
        actor=actor,
        action="complaint",
        entity="review_complaint",
        key=str(complaint_id),
        after={k: v for k, v in values.items() if k not in ("recorded_at", "complainant")},
        unit_code=new.commune,
    )
    return complaint_id


def _check_days(received_on: date, accepted_on: date | None, today: date) -> None:
    if received_on > today:
        raise _problem("received_on", "Ngày nhận chưa đến", "The day received is in the future")
    if accepted_on is not None and not received_on <= accepted_on <= today:
        raise _problem(
            "accepted_on",
            "Ngày thụ lý phải từ ngày nhận đến hôm nay",
            "The day accepted must be between the day received and today",
        )


def _commune_remote(connection: Connection, commune: str, scope: Scope) -> bool:
    row = connection.execute(
        select(Unit.level, Unit.disadvantaged).where(Unit.code == commune)
    ).first()
    if row is None or row.level != "commune":
        raise _problem("commune", f"Không có xã '{commune}'", f"No commune '{commune}'")
    if not scope.has_commune(commune):
        raise PermissionError(commune)
    return bool(row.disadvantaged)


def _household(connection: Connection, code: str | None, commune: str) -> int | None:
    if not code or not code.strip():
        return None
    row = connection.execute(
        select(Household.id, Household.commune_code).where(Household.code == code.strip())
    ).first()
    if row is None or row.commune_code != commune:
        raise _problem(
            "household",
            f"Không có hộ '{code}' ở xã {commune}",
            f"No household '{code}' in commune {commune}",
        )
    return int(row.id)


def _visible(connection: Connection, complaint_id: int, scope: Scope) -> Any:
    table = ReviewComplaint.__table__
    row = connection.execute(select(table).where(table.c.id == complaint_id)).first()
    if row is None or not scope.has_commune(row.commune_code):
        raise LookupError(complaint_id)
    return row


def accept_complaint(
    connection: Connection, complaint_id: int, on: date, *, actor: str, scope: Scope, today: date
) -> date:
    """Record the day the complaint was accepted (thụ lý); the day it must be decided by."""
    found = _visible(connection, complaint_id, scope)
    if found.accepted_on is not None or found.decided_on is not None:
        raise _problem("accepted_on", "Khiếu nại đã thụ lý", "The complaint is accepted already")
    _check_days(found.received_on, on, today)
    limits = deadlines(complaint_rules(), found.received_on, on, found.complex_case, found.remote)
    connection.execute(
        update(ReviewComplaint)
        .where(ReviewComplaint.id == complaint_id)
        .values(accepted_on=on, decide_by=limits.decide_by)
    )
    record_change(
        connection,
        actor=actor,
        action="complaint_accept",
        entity="review_complaint",
        key=str(complaint_id),
        after={"accepted_on": on.isoformat(), "decide_by": limits.decide_by.isoformat()},
        unit_code=found.commune_code,
    )
    return limits.decide_by


@dataclass(frozen=True)
class Decision:
    decided_on: date
    outcome: str  # upheld | rejected | withdrawn
    decision_no: str
    new_status: str | None = None  # the household's status when an upheld complaint changes it


def decide_complaint(
    connection: Connection,
    complaint_id: int,
    decision: Decision,
    *,
    actor: str,
    scope: Scope,
    today: date,
) -> str | None:
    """Record the decision; an upheld complaint about a household may re-classify it (dated,
    audited). The household's status before, when it changed."""
    rules = complaint_rules()
    found = _visible(connection, complaint_id, scope)
    _check_decision(rules, found, decision, today)
    before = None
    if decision.new_status:
        before = change_status(
            connection,
            household_id=found.household_id,
            year=found.year,
            status=decision.new_status,
            reason="complaint",
            reference=f"{complaint_id}: {decision.decision_no}",
            on=decision.decided_on,
            actor=actor,
        )
    connection.execute(
        update(ReviewComplaint)
        .where(ReviewComplaint.id == complaint_id)
        .values(
            decided_on=decision.decided_on,
            outcome=decision.outcome,
            decision_no=decision.decision_no.strip(),
            new_status=decision.new_status,
            accepted_on=found.accepted_on or decision.decided_on,
        )
    )
    record_change(
        connection,
        actor=actor,
        action="complaint_decide",
        entity="review_complaint",
        key=str(complaint_id),
        after={
            "decided_on": decision.decided_on.isoformat(),
            "outcome": decision.outcome,
            "decision_no": decision.decision_no.strip(),
            "new_status": decision.new_status,
            "status_before": before,
        },
        unit_code=found.commune_code,
    )
    return before


def _check_decision(rules: ComplaintRules, found: Any, decision: Decision, today: date) -> None:
    if found.decided_on is not None:
        raise _problem("decided_on", "Khiếu nại đã giải quyết", "The complaint is decided already")
    if decision.outcome not in rules.outcomes:
        raise _problem(
            "outcome",
            f"Kết quả phải là một trong: {', '.join(rules.outcomes)}",
            f"The outcome must be one of: {', '.join(rules.outcomes)}",
        )
    if not decision.decision_no.strip():
        raise _problem("decision_no", "Cần số quyết định", "The decision's number is needed")
    if not found.received_on <= decision.decided_on <= today:
        raise _problem(
            "decided_on",
            "Ngày giải quyết phải từ ngày nhận đến hôm nay",
            "The day decided must be between the day received and today",
        )
    if decision.new_status and (decision.outcome != "upheld" or found.household_id is None):
        raise _problem(
            "new_status",
            "Chỉ khiếu nại về một hộ, được chấp nhận, mới đổi phân loại của hộ",
            "Only an upheld complaint about a household changes its status",
        )


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    commune_code: str
    year: int
    household_id: int | None
    household_code: str | None
    complainant: str
    channel: str
    summary: str | None
    received_on: date
    accepted_on: date | None
    acknowledge_by: date
    decide_by: date
    remote: bool
    complex_case: bool
    decided_on: date | None
    outcome: str | None
    decision_no: str | None
    new_status: str | None
    standing: str


def complaints_in(
    connection: Connection,
    communes: list[str] | None,
    as_of: date,
    year: int | None = None,
    open_only: bool = False,
) -> list[ComplaintRow]:
    """The register within the communes (all when None), the most urgent first."""
    c = ReviewComplaint
    query = select(
        c.id,
        c.commune_code,
        c.year,
        c.household_id,
        Household.code,
        c.complainant,
        c.channel,
        c.summary,
        c.received_on,
        c.accepted_on,
        c.acknowledge_by,
        c.decide_by,
        c.remote,
        c.complex_case,
        c.decided_on,
        c.outcome,
        c.decision_no,
        c.new_status,
    ).outerjoin(Household, Household.id == c.household_id)
    if communes is not None:
        query = query.where(c.commune_code.in_(communes))
    if year is not None:
        query = query.where(c.year == year)
    if open_only:
        query = query.where(c.decided_on.is_(None))
    rules = complaint_rules()
    rows = []
    for row in connection.execute(query.order_by(c.decide_by, c.id)):
        limits = deadlines(rules, row.received_on, row.accepted_on, row.complex_case, row.remote)
        where = standing(rules, limits, row.accepted_on, row.decided_on, as_of)
        rows.append(ComplaintRow(*row, standing=where))  # type: ignore[call-arg]
    order = {"overdue": 0, "due_soon": 1, "open": 2, "decided": 3}
    return sorted(rows, key=lambda r: (order[r.standing], r.decide_by, r.id))

"""Load a review year in progress (synth.review_year) through the same rules and audit as an
officer's forms: each stage, complaint and decision is recorded as the officer would, and one
commune's report is sent back by the province as its administrator would."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, select

from ansinh.store.models import Household
from ansinh.store.review_complaints import Decision, NewComplaint, add_complaint, decide_complaint
from ansinh.store.review_stages import StagePapers, record_stage
from ansinh.store.scope import WHOLE_REGISTRY, scope_for
from ansinh.synth.review_year import CommunePlan, DemoComplaint, DemoStage, review_year
from ansinh.workflows.review_return import send_back

MINUTES = "Biên bản họp dân thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo (dữ liệu mẫu)."
RETURN_REASON = (
    "Số hộ cận nghèo của thôn chưa khớp biên bản họp dân; đề nghị xã kiểm tra, báo cáo lại "
    "(dữ liệu mẫu)."
)


def load_review_year(
    engine: Engine, province: str, seed: int, year: int, actor: str, today: date
) -> int:
    """Record the year in progress for the province's communes holding households; how many
    stages. Nothing dated after `today` is recorded (a commune's chain stops there)."""
    with engine.begin() as connection:
        communes = _communes_with_households(connection, province)
        plans = review_year(communes, seed, year)
        recorded = sum(_load(connection, plan, year, actor, today) for plan in plans)
        return recorded - _send_one_back(connection, plans, year, actor, today)


def _send_one_back(
    connection: Connection, plans: list[CommunePlan], year: int, actor: str, today: date
) -> int:
    """The province sends back, the day after, the report of the first commune whose report
    is the last stage it recorded; how many stages that undid (0 when none reported)."""
    for plan in plans:
        done = [stage for stage in plan.stages if stage.on <= today]
        on = done[-1].on + timedelta(days=1) if done else today
        if done and done[-1].stage == "reported" and on <= today:
            sent = send_back(
                connection,
                commune=plan.commune,
                year=year,
                on=on,
                reason=RETURN_REASON,
                actor=actor,
                scope=WHOLE_REGISTRY,
                today=today,
                province=True,
            )
            return len(sent.undone)
    return 0


def _communes_with_households(connection: Connection, province: str) -> list[str]:
    within = scope_for(connection, (province,)).communes or frozenset()
    rows = connection.execute(select(Household.commune_code).group_by(Household.commune_code))
    return sorted(str(code) for (code,) in rows if code in within)


def _load(connection: Connection, plan: CommunePlan, year: int, actor: str, today: date) -> int:
    recorded = 0
    for stage in plan.stages:
        if stage.stage == "complaints_heard":
            _complaints(connection, plan, year, actor, today)
        if stage.on > today:
            break
        _stage(connection, plan.commune, year, stage, actor, today)
        recorded += 1
    if plan.stages and plan.stages[-1].stage == "posted":
        _complaints(connection, plan, year, actor, today)
    return recorded


def _stage(
    connection: Connection, commune: str, year: int, stage: DemoStage, actor: str, today: date
) -> None:
    meeting = stage.stage == "village_meeting"
    papers = StagePapers(
        attendance=stage.attendance,
        meeting_result=stage.meeting_result,
        minutes_name="bien-ban-hop-dan.txt" if meeting else None,
        minutes=MINUTES.encode() if meeting else None,
        decision_no=stage.decision_no,
    )
    record_stage(
        connection,
        commune=commune,
        year=year,
        stage=stage.stage,
        on=stage.on,
        papers=papers,
        actor=actor,
        scope=WHOLE_REGISTRY,
        today=today,
        province=True,
    )


def _complaints(
    connection: Connection, plan: CommunePlan, year: int, actor: str, today: date
) -> None:
    household = connection.scalar(
        select(func.min(Household.code)).where(Household.commune_code == plan.commune)
    )
    for complaint in plan.complaints:
        if complaint.received_on <= today:
            _complaint(connection, plan.commune, year, household, complaint, actor, today)


def _complaint(
    connection: Connection,
    commune: str,
    year: int,
    household: str | None,
    complaint: DemoComplaint,
    actor: str,
    today: date,
) -> None:
    new = NewComplaint(
        commune,
        year,
        complaint.complainant,
        complaint.channel,
        complaint.received_on,
        household,
        complaint.summary,
        accepted_on=complaint.accepted_on,
    )
    found = add_complaint(connection, new, actor=actor, scope=WHOLE_REGISTRY, today=today)
    if complaint.decided_on is None or complaint.decided_on > today:
        return
    decision = Decision(
        complaint.decided_on, complaint.outcome or "rejected", complaint.decision_no or ""
    )
    decide_complaint(connection, found, decision, actor=actor, scope=WHOLE_REGISTRY, today=today)

"""A periodic review in progress across a province's communes, for demos: some communes still
surveying, some posted, some recognised and signed off, a few complaints and one overdue.

Drawn from its own random stream, so the households, questionnaires and benefits a seed gives
are the same with or without it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ansinh.domain.review_stages import posting_ends, stage_rules

# How far each commune has gone: the last stage it reached, and its weight among communes.
REACHED = {
    "listed": 1,
    "surveyed": 2,
    "village_meeting": 2,
    "posted": 2,
    "complaints_heard": 1,
    "recognised": 2,
    "reported": 1,
    "approved": 1,
}
DECIDED_COMPLAINTS = 3
OPEN_COMPLAINTS = 1  # left undecided and never accepted: past its deadline
OUTCOMES = ("rejected", "rejected", "withdrawn")


@dataclass(frozen=True)
class DemoStage:
    stage: str
    on: date
    attendance: int | None = None
    meeting_result: str | None = None
    decision_no: str | None = None


@dataclass(frozen=True)
class DemoComplaint:
    complainant: str
    channel: str
    received_on: date
    summary: str
    accepted_on: date | None = None
    decided_on: date | None = None
    outcome: str | None = None
    decision_no: str | None = None


@dataclass
class CommunePlan:
    commune: str
    stages: list[DemoStage] = field(default_factory=list)
    # Recorded after the posting, before the stage that closes complaints.
    complaints: list[DemoComplaint] = field(default_factory=list)


COMPLAINANTS = ("Lý Thị Mai", "Giàng A Chứ", "Hoàng Văn Sơn", "Vàng Thị Dua", "Nguyễn Văn Hải")


def review_year(communes: list[str], seed: int, year: int) -> list[CommunePlan]:
    """Each commune's stages with their dates and papers, and the complaints, in order."""
    draw = random.Random(f"review-year-{seed}-{year}")
    codes = stage_rules().codes
    plans = []
    for commune in sorted(communes):
        reached = draw.choices(list(REACHED), weights=list(REACHED.values()))[0]
        plans.append(_plan(draw, commune, year, codes[: codes.index(reached) + 1]))
    _complain(draw, plans, year)
    return plans


def _plan(draw: random.Random, commune: str, year: int, stages: list[str]) -> CommunePlan:
    rules = stage_rules()
    day = date(year, 9, 3) + timedelta(days=draw.randint(0, 9))
    plan = CommunePlan(commune)
    for code in stages:
        day = _next_day(draw, code, day, year)
        if code == "village_meeting":
            agreed = draw.random() < 0.8
            plan.stages.append(
                DemoStage(code, day, draw.randint(25, 90), "agreed" if agreed else "changed")
            )
        elif code == "recognised":
            plan.stages.append(
                DemoStage(code, day, decision_no=f"{draw.randint(100, 400)}/QĐ-UBND")
            )
        else:
            plan.stages.append(DemoStage(code, day))
        if code == "posted":
            day = posting_ends(day, rules)
    return plan


def _next_day(draw: random.Random, code: str, day: date, year: int) -> date:
    starts = {
        "surveyed": date(year, 10, 1),
        "village_meeting": date(year, 10, 20),
        "posted": date(year, 11, 3),
    }
    if code == "listed":
        return day
    return max(day, starts.get(code, day)) + timedelta(days=draw.randint(1, 6))


def _complain(draw: random.Random, plans: list[CommunePlan], year: int) -> None:
    """Decided complaints in communes past the complaints' stage; one open where the lists are
    still posted (received during the posting, never accepted: overdue)."""
    heard = [p for p in plans if _has(p, "complaints_heard")]
    posted = [p for p in plans if _has(p, "posted") and not _has(p, "complaints_heard")]
    for i, plan in enumerate(draw.sample(heard, min(DECIDED_COMPLAINTS, len(heard)))):
        posted_on = _on(plan, "posted")
        closed = _on(plan, "complaints_heard")
        plan.complaints.append(
            DemoComplaint(
                COMPLAINANTS[i % len(COMPLAINANTS)],
                draw.choice(("in_person", "letter", "village_meeting")),
                posted_on,
                "Đề nghị xem xét lại phân loại hộ",
                accepted_on=posted_on,
                decided_on=closed,
                outcome=OUTCOMES[i % len(OUTCOMES)],
                decision_no=f"{draw.randint(10, 99)}/QĐ-UBND",
            )
        )
    for plan in draw.sample(posted, min(OPEN_COMPLAINTS, len(posted))):
        plan.complaints.append(
            DemoComplaint(
                COMPLAINANTS[-1], "letter", _on(plan, "posted"), "Hộ tôi chưa được vào danh sách"
            )
        )


def _has(plan: CommunePlan, code: str) -> bool:
    return any(s.stage == code for s in plan.stages)


def _on(plan: CommunePlan, code: str) -> date:
    return next(s.on for s in plan.stages if s.stage == code)

"""A commune's review of a year, stage by stage: record a stage with its papers (the rules are
domain.review_stages), read where each commune stands, and the province's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, case, func, insert, select

from ansinh.domain.review_stages import (
    CommuneYear,
    StageRules,
    posting_ends,
    progress,
    refusal,
    stage_rules,
)
from ansinh.errors import InputError
from ansinh.store.audit import now, record_change
from ansinh.store.models import Household, Person, Survey, Unit
from ansinh.store.review_models import ReviewComplaint, ReviewStage
from ansinh.store.review_returns import ReturnRow, last_returned_on, open_returns
from ansinh.store.scope import Scope

MEETING_RESULTS = ("agreed", "changed")
MINUTES_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class StagePapers:
    """What a stage is recorded with; each stage needs some (stages.yaml `needs`)."""

    attendance: int | None = None
    meeting_result: str | None = None
    village_code: str | None = None
    minutes_name: str | None = None
    minutes: bytes | None = None
    decision_no: str | None = None
    note: str | None = None

    def given(self) -> set[str]:
        found = {
            "attendance": self.attendance is not None,
            "meeting_result": bool(self.meeting_result),
            "minutes": bool(self.minutes),
            "decision_no": bool(self.decision_no and self.decision_no.strip()),
        }
        return {name for name, present in found.items() if present}


def commune_year(connection: Connection, commune: str, year: int) -> CommuneYear:
    rows = connection.execute(
        select(ReviewStage.stage, ReviewStage.done_on, ReviewStage.posted_until).where(
            ReviewStage.commune_code == commune, ReviewStage.year == year
        )
    ).all()
    posted = next((row.posted_until for row in rows if row.posted_until is not None), None)
    return CommuneYear(
        year,
        {row.stage: row.done_on for row in rows},
        posted,
        open_complaints(connection, commune, year),
        last_returned_on(connection, commune, year),
    )


def open_complaints(connection: Connection, commune: str, year: int) -> int:
    return int(
        connection.scalar(
            select(func.count()).where(
                ReviewComplaint.commune_code == commune,
                ReviewComplaint.year == year,
                ReviewComplaint.decided_on.is_(None),
            )
        )
        or 0
    )


def is_recognised(connection: Connection, commune: str, year: int) -> bool:
    locking = [s.code for s in stage_rules().stages if s.locks_results]
    found = connection.scalar(
        select(func.count()).where(
            ReviewStage.commune_code == commune,
            ReviewStage.year == year,
            ReviewStage.stage.in_(locking),
        )
    )
    return bool(found)


def record_stage(
    connection: Connection,
    *,
    commune: str,
    year: int,
    stage: str,
    on: date,
    papers: StagePapers,
    actor: str,
    scope: Scope,
    today: date,
    province: bool = False,
) -> date | None:
    """Record that the commune's review of `year` passed `stage` on `on`; the posting's last
    day when the stage is the posting. Refused with the rule's article, nothing written."""
    rules = stage_rules()
    _check_commune(connection, commune, scope)
    _check_papers(connection, commune, papers)
    state = commune_year(connection, commune, year)
    found = refusal(rules, state, stage, on, today, papers.given())
    if found is not None:
        cited = f" ({found.citation})" if found.citation else ""
        raise InputError.single("stage", found.vi + cited, found.en + cited, column=stage)
    if rules.stage(stage).by_province and not province:
        raise InputError.single(
            "stage",
            "Chỉ cấp tỉnh xác nhận kết quả của xã",
            "Only the province signs off a commune's results",
            column=stage,
        )
    posted_until = posting_ends(on, rules) if stage == "posted" else None
    values: dict[str, Any] = {
        "commune_code": commune,
        "year": year,
        "stage": stage,
        "done_on": on,
        "posted_until": posted_until,
        "attendance": papers.attendance,
        "meeting_result": papers.meeting_result,
        "minutes_name": papers.minutes_name if papers.minutes else None,
        "minutes": papers.minutes,
        "decision_no": (papers.decision_no or "").strip() or None,
        "note": _note(papers),
        "recorded_by": actor,
        "recorded_at": now(),
    }
    connection.execute(insert(ReviewStage).values(**values))
    audited = {k: v for k, v in values.items() if k not in ("minutes", "recorded_at")}
    if papers.minutes:
        audited["minutes_bytes"] = len(papers.minutes)
    record_change(
        connection,
        actor=actor,
        action="review_stage",
        entity="review_stage",
        key=f"{commune}/{year}/{stage}",
        after=audited,
        unit_code=commune,
    )
    return posted_until


def _note(papers: StagePapers) -> str | None:
    parts = [f"village={papers.village_code}"] if papers.village_code else []
    if papers.note and papers.note.strip():
        parts.append(papers.note.strip()[:300])
    return "; ".join(parts) or None


def _check_commune(connection: Connection, commune: str, scope: Scope) -> None:
    level = connection.scalar(select(Unit.level).where(Unit.code == commune))
    if level != "commune":
        raise InputError.single("commune", f"Không có xã '{commune}'", f"No commune '{commune}'")
    if not scope.has_commune(commune):
        raise PermissionError(commune)


def _check_papers(connection: Connection, commune: str, papers: StagePapers) -> None:
    if papers.attendance is not None and papers.attendance < 1:
        raise InputError.single(
            "attendance", "Số người dự họp phải từ 1", "Attendance must be at least 1"
        )
    if papers.meeting_result is not None and papers.meeting_result not in MEETING_RESULTS:
        raise InputError.single(
            "meeting_result",
            "Kết quả họp: agreed (thống nhất) hoặc changed (có điều chỉnh)",
            "The meeting's result: agreed or changed",
        )
    if papers.minutes is not None and len(papers.minutes) > MINUTES_MAX_BYTES:
        raise InputError.single(
            papers.minutes_name or "minutes",
            "Biên bản quá 10 MB",
            "The minutes are larger than 10 MB",
        )
    if papers.village_code:
        parent = connection.scalar(
            select(Unit.parent_code).where(
                Unit.code == papers.village_code, Unit.level == "village"
            )
        )
        if parent != commune:
            raise InputError.single(
                "village",
                f"Thôn '{papers.village_code}' không thuộc xã {commune}",
                f"Village '{papers.village_code}' is not in commune {commune}",
            )


@dataclass(frozen=True)
class StageRow:
    stage: str
    done_on: date
    posted_until: date | None
    attendance: int | None
    meeting_result: str | None
    minutes_name: str | None
    decision_no: str | None
    note: str | None
    recorded_by: str


def stages_of(connection: Connection, commune: str, year: int) -> list[StageRow]:
    """The stages recorded, in the order of the rules."""
    order = {code: i for i, code in enumerate(stage_rules().codes)}
    rows = connection.execute(
        select(
            ReviewStage.stage,
            ReviewStage.done_on,
            ReviewStage.posted_until,
            ReviewStage.attendance,
            ReviewStage.meeting_result,
            ReviewStage.minutes_name,
            ReviewStage.decision_no,
            ReviewStage.note,
            ReviewStage.recorded_by,
        ).where(ReviewStage.commune_code == commune, ReviewStage.year == year)
    ).all()
    return sorted((StageRow(*row) for row in rows), key=lambda r: order.get(r.stage, 99))


def minutes_of(connection: Connection, commune: str, year: int) -> tuple[str, bytes] | None:
    row = connection.execute(
        select(ReviewStage.minutes_name, ReviewStage.minutes).where(
            ReviewStage.commune_code == commune,
            ReviewStage.year == year,
            ReviewStage.minutes.is_not(None),
        )
    ).first()
    if row is None or row[1] is None:
        return None
    return str(row[0] or "bien-ban"), bytes(row[1])


def is_draft(connection: Connection, commune: str, year: int) -> bool:
    """The lists are a draft until the village meeting has agreed them (Art. 4(2)(b))."""
    return "village_meeting" not in commune_year(connection, commune, year).done


def drafts(connection: Connection, communes: list[str], year: int) -> set[str]:
    """`is_draft` for many communes at once: those whose village meeting is not recorded."""
    met = connection.scalars(
        select(ReviewStage.commune_code).where(
            ReviewStage.year == year,
            ReviewStage.stage == "village_meeting",
            ReviewStage.commune_code.in_(communes),
        )
    )
    return set(communes) - set(met)


PROGRESS_SCHEMA = {
    "commune_code": pl.String,
    "commune_name": pl.String,
    "reached": pl.String,
    "expected": pl.String,
    "behind": pl.Boolean,
    "posted_until": pl.Date,
    "recognised_on": pl.Date,
    "decision_no": pl.String,
    "open_complaints": pl.Int64,
    "overdue_complaints": pl.Int64,
    "returned_on": pl.Date,  # the province sent the report back: to correct and report again
    "return_reason": pl.String,
}


def province_progress(
    connection: Connection, communes: list[str], year: int, as_of: date
) -> pl.DataFrame:
    """One row per commune: the stage reached, the stage the plan expects by `as_of`, whether
    it is behind, its posting and recognition, its open and overdue complaints, and the report
    the province sent back that it has not reported again."""
    rules = stage_rules()
    names = dict(
        connection.execute(
            select(Unit.code, Unit.name).where(Unit.code.in_(communes), Unit.level == "commune")
        ).all()
    )
    stages = connection.execute(
        select(
            ReviewStage.commune_code,
            ReviewStage.stage,
            ReviewStage.done_on,
            ReviewStage.posted_until,
            ReviewStage.decision_no,
        ).where(ReviewStage.year == year, ReviewStage.commune_code.in_(list(names)))
    ).all()
    complaints = _complaint_counts(connection, list(names), year, as_of)
    returned = open_returns(connection, list(names), year)
    by_commune: dict[str, list[Any]] = {code: [] for code in names}
    for row in stages:
        by_commune[row.commune_code].append(row)
    rows = [
        _progress_row(rules, year, as_of, code, names[code], done, complaints.get(code, (0, 0)))
        + _returned(returned.get(code))
        for code, done in sorted(by_commune.items())
    ]
    return pl.DataFrame(rows, schema=PROGRESS_SCHEMA, orient="row")


def _progress_row(
    rules: StageRules,
    year: int,
    as_of: date,
    code: str,
    name: str,
    rows: list[Any],
    complaints: tuple[int, int],
) -> tuple[Any, ...]:
    done = {row.stage: row.done_on for row in rows}
    where = progress(rules, year, done, as_of)
    posted = next((row.posted_until for row in rows if row.posted_until), None)
    recognised = next((row for row in rows if row.stage == "recognised"), None)
    return (
        code,
        name,
        where.reached,
        where.expected,
        where.behind,
        posted,
        recognised.done_on if recognised else None,
        recognised.decision_no if recognised else None,
        *complaints,
    )


def _returned(found: ReturnRow | None) -> tuple[date | None, str | None]:
    return (found.returned_on, found.reason) if found else (None, None)


def _complaint_counts(
    connection: Connection, communes: list[str], year: int, as_of: date
) -> dict[str, tuple[int, int]]:
    """Per commune: open complaints, and those past a deadline on `as_of`."""
    c = ReviewComplaint
    late = (c.accepted_on.is_(None) & (c.acknowledge_by < as_of)) | (c.decide_by < as_of)
    rows = connection.execute(
        select(
            c.commune_code,
            func.count(),
            func.sum(case((late, 1), else_=0)),
        )
        .where(c.year == year, c.commune_code.in_(communes), c.decided_on.is_(None))
        .group_by(c.commune_code)
    ).all()
    return {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}


@dataclass(frozen=True)
class ToSurvey:
    count: int
    first: list[tuple[int, str, str | None]]  # id, code, head's name


def households_to_survey(connection: Connection, commune: str, year: int, limit: int) -> ToSurvey:
    """The commune's households with no questionnaire of the year yet: how many, the first."""
    missing = (
        select(Household.id)
        .where(Household.commune_code == commune)
        .where(
            ~select(Survey.id)
            .where(Survey.household_id == Household.id, Survey.year == year)
            .exists()
        )
    )
    count = int(connection.scalar(select(func.count()).select_from(missing.subquery())) or 0)
    head = (
        select(Person.full_name)
        .where(Person.household_id == Household.id, Person.relation == "head")
        .limit(1)
        .scalar_subquery()
    )
    rows = connection.execute(
        select(Household.id, Household.code, head)
        .where(Household.id.in_(missing))
        .order_by(Household.code)
        .limit(limit)
    ).all()
    return ToSurvey(count, [(int(r[0]), str(r[1]), r[2]) for r in rows])

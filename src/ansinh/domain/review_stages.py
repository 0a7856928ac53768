"""The periodic review's stages as rules: when a commune may pass each, and who is behind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Stage:
    code: str
    name_vi: str
    name_en: str
    citation: str
    plan: str  # MM-DD of the review year by which the province's plan expects it
    needs: tuple[str, ...] = ()
    after_posting: bool = False
    no_open_complaints: bool = False
    locks_results: bool = False
    by_province: bool = False

    def planned(self, year: int) -> date:
        return date.fromisoformat(f"{year}-{self.plan}")


@dataclass(frozen=True)
class ReturnRule:
    """The province sends stage `stage` back, until `until` is done; the commune then stands at
    `back_to` and records every later stage anew (stages.yaml `returns`)."""

    stage: str
    until: str
    back_to: str
    citation: str
    reason_required: bool = True
    by_province: bool = True


@dataclass(frozen=True)
class StageRules:
    stages: tuple[Stage, ...]
    posting_working_days: int
    holidays: frozenset[date]
    window_starts: str
    returns: tuple[ReturnRule, ...] = ()

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.stages]

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def opens(self, year: int) -> date:
        return date.fromisoformat(f"{year}-{self.window_starts}")


@cache
def stage_rules() -> StageRules:
    text = resources.files("ansinh.data.review").joinpath("stages.yaml").read_text("utf-8")
    return rules_from(yaml.safe_load(text))


@cache
def _calendar() -> dict[str, Any]:
    text = resources.files("ansinh.data.review").joinpath("calendar.yaml").read_text("utf-8")
    calendar: dict[str, Any] = yaml.safe_load(text)
    return calendar


def periodic_review_ends(year: int) -> date:
    """The last day of the year's periodic review (calendar.yaml, Art. 3(1)(a))."""
    return date.fromisoformat(f"{year}-{_calendar()['annual']['ends']}")


def rules_from(data: Mapping[str, Any]) -> StageRules:
    stages = tuple(_stage(s) for s in data["stages"])
    return StageRules(
        stages=stages,
        posting_working_days=int(data["posting_working_days"]),
        holidays=frozenset(date.fromisoformat(str(d)) for d in data.get("holidays", [])),
        window_starts=str(data["window_starts"]),
        returns=tuple(_return(r) for r in data.get("returns", ())),
    )


def _return(data: Mapping[str, Any]) -> ReturnRule:
    return ReturnRule(
        stage=str(data["stage"]),
        until=str(data["until"]),
        back_to=str(data["back_to"]),
        citation=str(data["citation"]),
        reason_required=bool(data.get("reason_required", True)),
        by_province=bool(data.get("by_province", True)),
    )


def _stage(data: Mapping[str, Any]) -> Stage:
    return Stage(
        code=str(data["code"]),
        name_vi=str(data["name_vi"]),
        name_en=str(data["name_en"]),
        citation=str(data["citation"]),
        plan=str(data["plan"]),
        needs=tuple(data.get("needs", ())),
        after_posting=bool(data.get("after_posting", False)),
        no_open_complaints=bool(data.get("no_open_complaints", False)),
        locks_results=bool(data.get("locks_results", False)),
        by_province=bool(data.get("by_province", False)),
    )


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def posting_ends(first_day: date, rules: StageRules) -> date:
    """The last day of a posting that starts on `first_day` (a working day, or the next one)."""
    day, counted = first_day, 0
    while True:
        if is_working_day(day, rules.holidays):
            counted += 1
            if counted == rules.posting_working_days:
                return day
        day += timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    """Why a stage cannot be recorded, in both languages, with the rule's article."""

    code: str
    vi: str
    en: str
    citation: str


@dataclass(frozen=True)
class CommuneYear:
    """What a commune's review of a year has done: each stage's date, the posting's last day,
    and how many complaints on it are still open."""

    year: int
    done: Mapping[str, date]
    posting_until: date | None
    open_complaints: int
    returned_on: date | None = None  # the last day the province sent a report back


def refusal(
    rules: StageRules, state: CommuneYear, code: str, on: date, today: date, given: set[str]
) -> Refusal | None:
    """None when stage `code` may be recorded as done on `on`; else the first rule it breaks."""
    if code not in rules.codes:
        return Refusal("unknown_stage", f"Không có bước '{code}'", f"No stage '{code}'", "")
    stage = rules.stage(code)
    checks = (
        _order(rules, state, stage),
        _dates(rules, state, stage, on, today),
        _papers(stage, given),
        _posting(state, stage, on),
        _complaints(state, stage),
    )
    return next((found for found in checks if found is not None), None)


def _order(rules: StageRules, state: CommuneYear, stage: Stage) -> Refusal | None:
    if stage.code in state.done:
        return Refusal(
            "done_already", "Bước này đã ghi nhận", "This stage is recorded already", stage.citation
        )
    index = rules.codes.index(stage.code)
    missing = next((c for c in rules.codes[:index] if c not in state.done), None)
    if missing is None:
        return None
    before = rules.stage(missing)
    return Refusal(
        "stage_skipped",
        f"Chưa qua bước trước: {before.name_vi}",
        f"An earlier stage is not done: {before.name_en}",
        stage.citation,
    )


def _dates(
    rules: StageRules, state: CommuneYear, stage: Stage, on: date, today: date
) -> Refusal | None:
    if on > today:
        return Refusal("future", "Ngày chưa đến", "The date is in the future", stage.citation)
    if on < rules.opens(state.year):
        return Refusal(
            "before_window",
            f"Rà soát định kỳ năm {state.year} bắt đầu từ {rules.opens(state.year):%d/%m/%Y}",
            f"The {state.year} review starts on {rules.opens(state.year):%d/%m/%Y}",
            "QĐ 24/2021/QĐ-TTg Điều 3 khoản 1 điểm a",
        )
    if state.returned_on is not None and on < state.returned_on:
        return Refusal(
            "before_return",
            f"Ngày trước ngày tỉnh trả lại báo cáo ({state.returned_on:%d/%m/%Y})",
            f"The date is before the province sent the report back ({state.returned_on:%d/%m/%Y})",
            stage.citation,
        )
    latest = max(state.done.values(), default=None)
    if latest is not None and on < latest:
        return Refusal(
            "before_previous",
            f"Ngày trước bước đã ghi ({latest:%d/%m/%Y})",
            f"The date is before the stage recorded last ({latest:%d/%m/%Y})",
            stage.citation,
        )
    return None


def _papers(stage: Stage, given: set[str]) -> Refusal | None:
    missing = [need for need in stage.needs if need not in given]
    if not missing:
        return None
    return Refusal(
        "papers_missing",
        f"Thiếu: {', '.join(missing)}",
        f"Missing: {', '.join(missing)}",
        stage.citation,
    )


def _posting(state: CommuneYear, stage: Stage, on: date) -> Refusal | None:
    if not stage.after_posting or state.posting_until is None or on > state.posting_until:
        return None
    return Refusal(
        "posting_runs",
        f"Danh sách còn niêm yết đến hết {state.posting_until:%d/%m/%Y}",
        f"The lists are posted until {state.posting_until:%d/%m/%Y} inclusive",
        "QĐ 24/2021/QĐ-TTg Điều 4 khoản 3",
    )


def _complaints(state: CommuneYear, stage: Stage) -> Refusal | None:
    if not stage.no_open_complaints or state.open_complaints == 0:
        return None
    return Refusal(
        "complaints_open",
        f"Còn {state.open_complaints} khiếu nại chưa giải quyết",
        f"{state.open_complaints} complaint(s) not decided yet",
        "QĐ 24/2021/QĐ-TTg Điều 4 khoản 3 điểm b; Luật Khiếu nại 2011 Điều 28",
    )


@dataclass(frozen=True)
class Progress:
    reached: str | None  # the last stage done, None before the first
    expected: str | None  # the last stage the plan expects done by the day asked
    behind: bool


def progress(rules: StageRules, year: int, done: Mapping[str, date], as_of: date) -> Progress:
    """Where a commune stands against the province's plan on `as_of`."""
    reached = next((c for c in reversed(rules.codes) if c in done), None)
    due = [s.code for s in rules.stages if s.planned(year) < as_of]
    expected = due[-1] if due else None
    behind = expected is not None and (
        reached is None or rules.codes.index(reached) < rules.codes.index(expected)
    )
    return Progress(reached, expected, behind)

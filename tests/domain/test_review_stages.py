"""The review's stage rules, posting period and complaint deadlines, from YAML cases citing
the article each boundary comes from (review_cases/*.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansinh.domain.complaints import complaint_rules, deadlines, standing
from ansinh.domain.review_stages import (
    CommuneYear,
    periodic_review_ends,
    posting_ends,
    progress,
    refusal,
    stage_rules,
)

CASES = Path(__file__).parent / "review_cases"


def _cases(name: str) -> list[Any]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    for case in cases:
        assert case.get("citation"), f"{name}: {case['name']}: no citation"
    return [pytest.param(case, id=case["name"][:70]) for case in cases]


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


@pytest.mark.parametrize("case", _cases("stages.yaml"))
def test_stage_rule(case: dict[str, Any]) -> None:
    done = {code: date.fromisoformat(str(on)) for code, on in case["done"].items()}
    state = CommuneYear(
        case["year"], done, _day(case.get("posting_until")), case.get("open_complaints", 0)
    )
    found = refusal(
        stage_rules(),
        state,
        case["stage"],
        date.fromisoformat(str(case["day"])),
        date.fromisoformat(str(case["today"])),
        set(case.get("given", [])),
    )
    assert (found.code if found else None) == case["refused"]
    if found is not None:
        assert found.vi and found.en


@pytest.mark.parametrize("case", _cases("posting.yaml"))
def test_posting_period(case: dict[str, Any]) -> None:
    first = date.fromisoformat(str(case["first_day"]))
    assert posting_ends(first, stage_rules()) == date.fromisoformat(str(case["last_day"]))


@pytest.mark.parametrize("case", _cases("complaints.yaml"))
def test_complaint_deadline(case: dict[str, Any]) -> None:
    rules = complaint_rules()
    limits = deadlines(
        rules,
        date.fromisoformat(str(case["received_on"])),
        _day(case.get("accepted_on")),
        case.get("complex", False),
        case.get("remote", False),
    )
    if "acknowledge_by" in case:
        assert limits.acknowledge_by == date.fromisoformat(str(case["acknowledge_by"]))
    if "decide_by" in case:
        assert limits.decide_by == date.fromisoformat(str(case["decide_by"]))
    if "standing" in case:
        found = standing(
            rules,
            limits,
            _day(case.get("accepted_on")),
            _day(case.get("decided_on")),
            date.fromisoformat(str(case["as_of"])),
        )
        assert found == case["standing"]


def test_behind_the_plan() -> None:
    rules = stage_rules()
    done = {"listed": date(2025, 9, 5), "surveyed": date(2025, 10, 10)}
    # The plan expects the village meeting by 5 November: on the 5th not yet behind, the 6th is.
    assert not progress(rules, 2025, done, date(2025, 11, 5)).behind
    late = progress(rules, 2025, done, date(2025, 11, 6))
    assert late.behind and late.reached == "surveyed" and late.expected == "village_meeting"
    assert progress(rules, 2025, {}, date(2025, 9, 15)).expected is None


def test_the_window_ends_on_14_december() -> None:
    # QĐ 24/2021/QĐ-TTg Điều 3 khoản 1 điểm a: from 1 September to the end of 14 December.
    assert periodic_review_ends(2025) == date(2025, 12, 14)

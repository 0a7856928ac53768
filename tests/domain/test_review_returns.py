"""The province sending a commune's report back: the boundaries of stages.yaml `returns`, from
YAML cases citing the article (review_cases/returns.yaml), and the commune reporting again."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from ansinh.domain.review_returns import SendBack, return_refusal
from ansinh.domain.review_stages import CommuneYear, refusal, rules_from, stage_rules

CASES = Path(__file__).parent / "review_cases" / "returns.yaml"
TODAY = date(2025, 12, 1)


def _cases() -> list[Any]:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    for case in cases:
        assert case.get("citation"), f"{case['name']}: no citation"
    return [pytest.param(case, id=case["name"][:70]) for case in cases]


@pytest.mark.parametrize("case", _cases())
def test_return_rule(case: dict[str, Any]) -> None:
    done = {code: date.fromisoformat(str(on)) for code, on in case["done"].items()}
    state = CommuneYear(2025, done, date(2025, 11, 5), 0)
    found = return_refusal(
        stage_rules(),
        state,
        date.fromisoformat(str(case["day"])),
        TODAY,
        case["reason"],
        case.get("by_province", True),
    )
    if case["refused"] is None:
        assert isinstance(found, SendBack)
        assert list(found.undone) == case["undone"] and found.rule.back_to == "recognised"
    else:
        assert not isinstance(found, SendBack) and found.code == case["refused"]
        assert found.vi and found.en


def test_the_rule_is_data_with_its_citation() -> None:
    (rule,) = stage_rules().returns
    assert (rule.stage, rule.until, rule.back_to) == ("reported", "approved", "recognised")
    assert rule.reason_required and rule.by_province and "Điều 4" in rule.citation
    # the stages it names exist, in order: back_to before the stage sent back before `until`
    codes = stage_rules().codes
    assert codes.index(rule.back_to) < codes.index(rule.stage) < codes.index(rule.until)


def test_back_to_an_earlier_stage_undoes_every_stage_after_it() -> None:
    # A province whose process wants a new recognition: back to complaints_heard lifts the lock.
    text = resources.files("ansinh.data.review").joinpath("stages.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    data["returns"][0]["back_to"] = "complaints_heard"
    rules = rules_from(data)
    done = {"complaints_heard": date(2025, 11, 12), "recognised": date(2025, 11, 14)}
    state = CommuneYear(2025, done | {"reported": date(2025, 11, 20)}, None, 0)
    found = return_refusal(rules, state, date(2025, 11, 21), TODAY, "Sai quyết định", True)
    assert isinstance(found, SendBack) and found.undone == ("recognised", "reported")


def test_the_report_again_is_not_dated_before_the_return() -> None:
    # The commune reports again on or after the day the province sent it back.
    done = {code: date(2025, 11, 14) for code in stage_rules().codes[:6]}
    state = CommuneYear(2025, done, date(2025, 11, 5), 0, returned_on=date(2025, 11, 21))
    early = refusal(stage_rules(), state, "reported", date(2025, 11, 20), TODAY, set())
    assert early is not None and early.code == "before_return"
    assert refusal(stage_rules(), state, "reported", date(2025, 11, 21), TODAY, set()) is None

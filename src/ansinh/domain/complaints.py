"""A complaint's time limits under the Law on Complaints, and where it stands on a day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class ComplaintRules:
    acknowledge_days: int
    decide_days: Mapping[str, int]
    remind_days: int
    channels: tuple[str, ...]
    outcomes: tuple[str, ...]


@cache
def complaint_rules() -> ComplaintRules:
    text = resources.files("ansinh.data.review").joinpath("complaints.yaml").read_text("utf-8")
    return rules_from(yaml.safe_load(text))


def rules_from(data: Mapping[str, Any]) -> ComplaintRules:
    return ComplaintRules(
        acknowledge_days=int(data["acknowledge_days"]),
        decide_days={k: int(v) for k, v in data["decide_days"].items()},
        remind_days=int(data["remind_days"]),
        channels=tuple(data["channels"]),
        outcomes=tuple(data["outcomes"]),
    )


@dataclass(frozen=True)
class Deadlines:
    acknowledge_by: date
    decide_by: date


def deadlines(
    rules: ComplaintRules,
    received_on: date,
    accepted_on: date | None,
    complex_case: bool,
    remote: bool,
) -> Deadlines:
    """Art. 27: accept within N days of receipt; Art. 28: decide within the days of its kind,
    from acceptance (or from the last day to accept, while it is not accepted)."""
    acknowledge_by = received_on + timedelta(days=rules.acknowledge_days)
    kind = ("remote_" if remote else "") + ("complex" if complex_case else "ordinary")
    kind = "remote" if kind == "remote_ordinary" else kind
    start = accepted_on or acknowledge_by
    return Deadlines(acknowledge_by, start + timedelta(days=rules.decide_days[kind]))


def standing(
    rules: ComplaintRules,
    limits: Deadlines,
    accepted_on: date | None,
    decided_on: date | None,
    as_of: date,
) -> str:
    """decided | overdue | due_soon | open, on `as_of`."""
    if decided_on is not None:
        return "decided"
    next_limit = limits.decide_by if accepted_on is not None else limits.acknowledge_by
    if as_of > next_limit or as_of > limits.decide_by:
        return "overdue"
    if (next_limit - as_of).days <= rules.remind_days:
        return "due_soon"
    return "open"

"""Target status: where a target stands against its straight line from baseline to deadline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Comparator(StrEnum):
    """How a value meets its target (domain/monitoring.md)."""

    AT_LEAST = "at_least"  # value ≥ target
    AT_MOST = "at_most"  # value ≤ target
    ABOUT = "about"  # |value − target| ≤ tolerance
    REACH = "reach"  # value = target, e.g. 100%


# `reach_100` is accepted in files as another name for `reach`.
COMPARATOR_NAMES: dict[str, Comparator] = {c.value: c for c in Comparator} | {
    "reach_100": Comparator.REACH
}


class Status(StrEnum):
    NO_DATA = "no_data"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


STATUS_ORDER: tuple[Status, ...] = tuple(Status)
ON_TRACK_RATIO = Decimal(1)
AT_RISK_RATIO = Decimal("0.5")


@dataclass(frozen=True)
class Target:
    target_id: str
    group: str
    name: str
    unit_of_measure: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal
    comparator: Comparator
    tolerance: Decimal
    deadline_year: int
    unit_code: str


@dataclass(frozen=True)
class Observation:
    target_id: str
    unit_code: str
    year: int
    value: Decimal


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    status: Status
    latest_year: int | None
    latest_value: Decimal | None
    projected_value: Decimal | None
    ratio: Decimal | None
    reason_vi: str
    reason_en: str

    @property
    def reason(self) -> str:
        return f"{self.reason_vi} / {self.reason_en}"


def meets(comparator: Comparator, value: Decimal, target: Decimal, tolerance: Decimal) -> bool:
    """Whether `value` meets the target; edges count as met (exact decimal arithmetic)."""
    if comparator is Comparator.AT_LEAST:
        return value >= target
    if comparator is Comparator.AT_MOST:
        return value <= target
    if comparator is Comparator.ABOUT:
        return abs(value - target) <= tolerance
    return value == target


def trajectory_end(target: Target) -> Decimal:
    """The value the straight line aims at: for `about`, the band's edge nearer the baseline."""
    if target.comparator is not Comparator.ABOUT or target.baseline_value is None:
        return target.target_value
    if target.baseline_value <= target.target_value:
        return target.target_value - target.tolerance
    return target.target_value + target.tolerance


def progress_ratio(target: Target, year: int, value: Decimal) -> Decimal | None:
    """r = (v − b) / ((t − b) × (y − y0) / (T − y0)); None when undefined."""
    b, y0 = target.baseline_value, target.baseline_year
    if b is None or y0 is None or year <= y0 or target.deadline_year <= y0:
        return None
    t = trajectory_end(target)
    if t == b:
        return None
    # One division, so that exact ratios stay exact: (v − b)(T − y0) / ((t − b)(y − y0)).
    return (value - b) * (target.deadline_year - y0) / ((t - b) * (year - y0))


def projected(target: Target, year: int, value: Decimal) -> Decimal | None:
    """p = v + (v − b) / (y − y0) × (T − y): the line through baseline and latest value."""
    if year >= target.deadline_year:
        return value
    b, y0 = target.baseline_value, target.baseline_year
    if b is None or y0 is None or year <= y0:
        return None
    return value + (value - b) * (target.deadline_year - year) / (year - y0)


def latest(observations: Iterable[Observation], as_of_year: int) -> Observation | None:
    """The latest observation in or before the as-of year (later years are ignored)."""
    kept = [o for o in observations if o.year <= as_of_year]
    return max(kept, key=lambda o: o.year) if kept else None


def target_status(target: Target, observation: Observation | None) -> TargetStatus:
    """The status of one target and unit from its latest observation (table in monitoring.md)."""
    if observation is None:
        return TargetStatus(
            target,
            Status.NO_DATA,
            None,
            None,
            None,
            None,
            "Chưa có số liệu quan sát",
            "No observation yet",
        )
    v, y = observation.value, observation.year
    ratio = progress_ratio(target, y, v)
    status = _classify(target, y, v, ratio)
    p = projected(target, y, v)
    vi, en = _reason(target, status, y, v, p, ratio)
    return TargetStatus(target, status, y, v, p, ratio, vi, en)


def _classify(target: Target, year: int, value: Decimal, ratio: Decimal | None) -> Status:
    if meets(target.comparator, value, target.target_value, target.tolerance):
        return Status.ACHIEVED
    if year >= target.deadline_year:
        return Status.OFF_TRACK
    if ratio is None or AT_RISK_RATIO <= ratio < ON_TRACK_RATIO:
        return Status.AT_RISK
    return Status.ON_TRACK if ratio >= ON_TRACK_RATIO else Status.OFF_TRACK


_WORDS = {
    Status.ACHIEVED: ("Đã đạt", "Achieved"),
    Status.ON_TRACK: ("Đúng tiến độ", "On track"),
    Status.AT_RISK: ("Có nguy cơ không đạt", "At risk"),
    Status.OFF_TRACK: ("Chậm tiến độ", "Off track"),
}


def _reason(
    target: Target,
    status: Status,
    year: int,
    value: Decimal,
    projection: Decimal | None,
    ratio: Decimal | None,
) -> tuple[str, str]:
    vi, en = _WORDS[status]
    t = _number(target.target_value)
    if target.comparator is Comparator.ABOUT:
        t = f"{t}±{_number(target.tolerance)}"
    p = "—" if projection is None else _number(projection)
    r = "—" if ratio is None else _number(ratio, 2)
    late = status is Status.OFF_TRACK and year >= target.deadline_year
    passed_vi = ", đã quá hạn" if late else ""
    passed_en = ", deadline passed" if passed_vi else ""
    return (
        f"{vi}: v={_number(value)} ({year}), t={t} ({target.deadline_year}), "
        f"dự báo p={p}, r={r}{passed_vi}",
        f"{en}: v={_number(value)} ({year}), t={t} ({target.deadline_year}), "
        f"projected p={p}, r={r}{passed_en}",
    )


def _number(value: Decimal, places: int = 4) -> str:
    text = f"{round(value, places):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def statuses(
    targets: Sequence[Target], observations: Iterable[Observation], as_of_year: int
) -> list[TargetStatus]:
    """One status per target and unit, in the targets' order."""
    by_key: dict[tuple[str, str], list[Observation]] = {}
    for observation in observations:
        by_key.setdefault((observation.target_id, observation.unit_code), []).append(observation)
    return [
        target_status(t, latest(by_key.get((t.target_id, t.unit_code), []), as_of_year))
        for t in targets
    ]


def rollup(results: Iterable[TargetStatus], by: str = "group") -> dict[str, dict[Status, int]]:
    """How many targets are in each status, per group (`by="group"`) or per unit (`"unit"`)."""
    counts: dict[str, dict[Status, int]] = {}
    for result in results:
        key = result.target.group if by == "group" else result.target.unit_code
        row = counts.setdefault(key, dict.fromkeys(STATUS_ORDER, 0))
        row[result.status] += 1
    return counts

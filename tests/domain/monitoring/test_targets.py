"""Target status rules at their boundaries (domain/monitoring.md, "Target status")."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ansinh.domain.monitoring.targets import (
    Comparator,
    Observation,
    Status,
    Target,
    meets,
    rollup,
    statuses,
    target_status,
)


def target(
    comparator: Comparator = Comparator.AT_LEAST,
    baseline: str | None = "40",
    value: str = "80",
    tolerance: str = "0",
    baseline_year: int = 2020,
    deadline: int = 2030,
    group: str = "labour",
) -> Target:
    return Target(
        "t1",
        group,
        "Trained workers",
        "%",
        None if baseline is None else D(baseline),
        None if baseline is None else baseline_year,
        D(value),
        comparator,
        D(tolerance),
        deadline,
        "15",
    )


def status_of(t: Target, year: int, value: str) -> tuple[Status, D | None, D | None]:
    result = target_status(t, Observation("t1", "15", year, D(value)))
    return result.status, result.ratio, result.projected_value


def test_exactly_on_trajectory_is_on_track() -> None:
    # Line from 40 (2020) to 80 (2030): 60 in 2025 is exactly on it, r = 1.
    assert status_of(target(), 2025, "60") == (Status.ON_TRACK, D(1), D(80))


def test_ratio_exactly_half_is_at_risk_and_below_is_off_track() -> None:
    assert status_of(target(), 2025, "50")[:2] == (Status.AT_RISK, D("0.5"))
    assert status_of(target(), 2025, "49.99")[0] is Status.OFF_TRACK


def test_value_moving_away_from_target_has_negative_ratio() -> None:
    state, ratio, projected = status_of(target(), 2025, "38")
    assert state is Status.OFF_TRACK and ratio is not None and ratio < 0
    assert projected == D(36)


def test_exactly_at_target_is_achieved_even_before_deadline() -> None:
    assert status_of(target(), 2022, "80")[0] is Status.ACHIEVED
    at_most = target(Comparator.AT_MOST, baseline="6", value="4")
    assert status_of(at_most, 2022, "4")[0] is Status.ACHIEVED
    assert status_of(at_most, 2022, "4.01")[0] is not Status.ACHIEVED


def test_deadline_passed_without_meeting_is_off_track() -> None:
    state, _, projected = status_of(target(), 2030, "79.9")
    assert state is Status.OFF_TRACK and projected == D("79.9")


def test_ratio_undefined_at_baseline_year_or_flat_target_is_at_risk() -> None:
    assert status_of(target(), 2020, "40")[:2] == (Status.AT_RISK, None)
    flat = target(baseline="80", value="80")
    assert status_of(flat, 2025, "79")[:2] == (Status.AT_RISK, None)
    assert status_of(target(baseline=None), 2025, "70")[:3] == (Status.AT_RISK, None, None)


@pytest.mark.parametrize(
    ("value", "met"),
    [("1.3", True), ("1.1", True), ("1.2", True), ("1.31", False), ("1.09", False)],
)
def test_about_tolerance_edges_count_as_met(value: str, met: bool) -> None:
    # Lào Cai 2030 (seed 001): unemployment "around 1.2%", tolerance ±0.1 — exact decimals.
    assert meets(Comparator.ABOUT, D(value), D("1.2"), D("0.1")) is met


def test_about_trajectory_aims_at_the_band_edge_nearer_the_baseline() -> None:
    # From 2.0 (2020) towards 1.2±0.1: the line ends at 1.3, so 1.65 in 2025 is on it.
    about = target(Comparator.ABOUT, baseline="2.0", value="1.2", tolerance="0.1")
    assert status_of(about, 2025, "1.65")[:2] == (Status.ON_TRACK, D(1))


def test_reach_needs_the_exact_value() -> None:
    # Seed 001: 99% of meritorious households at or above average (2023), 100% by 2030.
    reach = target(Comparator.REACH, baseline="99", value="100", baseline_year=2023)
    assert status_of(reach, 2024, "100")[0] is Status.ACHIEVED
    state, ratio, _ = status_of(reach, 2024, "99.5")  # r = 0.5 / (1 × 1/7) = 3.5
    assert (state, ratio) == (Status.ON_TRACK, D("3.5"))
    assert status_of(reach, 2030, "99.9")[0] is Status.OFF_TRACK


def test_latest_observation_in_or_before_as_of_year_counts() -> None:
    t = target()
    seen = [Observation("t1", "15", 2024, D("56")), Observation("t1", "15", 2026, D("80"))]
    (result,) = statuses([t], seen, 2025)
    assert (result.latest_year, result.status) == (2024, Status.ON_TRACK)
    (missing,) = statuses([t], [], 2025)
    assert missing.status is Status.NO_DATA


def test_reason_names_value_target_projection_and_ratio_in_both_languages() -> None:
    result = target_status(target(), Observation("t1", "15", 2025, D("60")))
    assert "v=60 (2025)" in result.reason_vi and "t=80 (2030)" in result.reason_vi
    assert "p=80" in result.reason_en and "r=1" in result.reason_en
    assert result.reason_vi.startswith("Đúng tiến độ") and result.reason_en.startswith("On track")


def test_rollup_counts_statuses_per_group_and_unit() -> None:
    a, b = target(group="labour"), target(group="housing")
    results = [
        target_status(a, Observation("t1", "15", 2025, D("60"))),
        target_status(b, None),
    ]
    counts = rollup(results)
    assert counts["labour"][Status.ON_TRACK] == 1 and counts["housing"][Status.NO_DATA] == 1
    assert rollup(results, by="unit")["15"][Status.NO_DATA] == 1

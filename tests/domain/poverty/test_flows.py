"""Year-on-year flows: each YAML case at its boundary, the counts reconcile by unit, and the
movement forms' columns add up (9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8) for any households."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ansinh.domain.poverty import STATUSES
from ansinh.domain.poverty.flows import (
    FLOW_KEYS,
    NEAR_POOR_MOVEMENTS,
    PEOPLE,
    POOR_MOVEMENTS,
    flows_by_unit,
    household_flows,
    reconciles,
)

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "flow_cases" / "flows.yaml").read_text(encoding="utf-8")
)


def years(rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {
        "unit_code": pl.String,
        "now": pl.String,
        "before": pl.String,
        "earlier_poor": pl.Boolean,
        "earlier_near_poor": pl.Boolean,
        "members": pl.Int64,
    }
    # A row without `earlier_near_poor` or `members` has them null: not near-poor, no people.
    return pl.DataFrame([{k: row.get(k) for k in schema} for row in rows], schema=schema)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_household_counts_in_exactly_its_flows(case: dict[str, Any]) -> None:
    assert case["citation"]
    keys = ("now", "before", "earlier_poor", "earlier_near_poor")
    frame = years([{k: case.get(k, False) for k in keys} | {"unit_code": "X"}])
    row = household_flows(frame).row(0, named=True)
    counted = {key for key in FLOW_KEYS if row[key]}
    assert counted == set(case["flows"]), case["citation"]
    assert not set(case["flows"]) - set(FLOW_KEYS)


def test_every_flow_is_reached_by_some_case() -> None:
    reached = {flow for case in CASES for flow in case["flows"]}
    assert reached == set(FLOW_KEYS)


def test_a_unit_s_counts_reconcile_and_roll_up() -> None:
    rows = [
        {
            "unit_code": "C1",
            "now": c["now"],
            "before": c["before"],
            "earlier_poor": c["earlier_poor"],
        }
        for c in CASES
    ] + [{"unit_code": "C2", "now": "poor", "before": None, "earlier_poor": False}]
    closure = pl.DataFrame(
        {
            "unit_code": ["C1", "C1", "C2", "C2"],
            "ancestor_code": ["C1", "P", "C2", "P"],
            "ancestor_level": ["commune", "province", "commune", "province"],
        }
    )
    summed = flows_by_unit(years(rows), closure)
    by_code = {row["unit_code"]: row for row in summed.iter_rows(named=True)}
    assert set(by_code) == {"C1", "C2", "P"}
    for row in by_code.values():
        assert reconciles(row), row["unit_code"]
    assert by_code["P"]["fell_into_poverty"] == by_code["C1"]["fell_into_poverty"] + 1
    fell_back = sum("fell_back_into_poverty" in case["flows"] for case in CASES)
    assert by_code["C1"]["fell_back_into_poverty"] == fell_back
    only_communes = flows_by_unit(years(rows), closure, levels=["commune"])
    assert only_communes["unit_code"].to_list() == ["C1", "C2"]


def test_a_unit_s_people_are_its_households_flows_weighted_by_their_members() -> None:
    rows = [
        {"unit_code": "C1", "now": "poor", "before": "poor", "members": 4},
        {"unit_code": "C1", "now": "near_poor", "before": "poor", "members": 3},
        {"unit_code": "C1", "now": "poor", "before": None, "members": 5},
    ]
    closure = pl.DataFrame(
        {"unit_code": ["C1"], "ancestor_code": ["C1"], "ancestor_level": ["commune"]}
    )
    row = flows_by_unit(years(rows), closure).row(0, named=True)
    assert (row["poor_start"], row["poor_start" + PEOPLE]) == (2, 7)
    assert (row["exited_poverty_to_near_poor"], row["exited_poverty_to_near_poor_people"]) == (1, 3)
    assert (row["poor_not_reviewed_before"], row["poor_not_reviewed_before_people"]) == (1, 5)
    assert (row["poor_end"], row["poor_end_people"]) == (2, 9)
    assert POOR_MOVEMENTS.add_up(row) and POOR_MOVEMENTS.add_up(row, PEOPLE)
    assert "poor_end_people" not in flows_by_unit(years(rows).drop("members"), closure).columns


def test_the_movement_forms_have_nine_distinct_known_columns() -> None:
    for movements in (POOR_MOVEMENTS, NEAR_POOR_MOVEMENTS):
        assert len(set(movements.keys)) == 9 and set(movements.keys) <= set(FLOW_KEYS)


STATUS_OR_NONE = st.sampled_from((*STATUSES, None))
HOUSEHOLDS = st.lists(
    st.fixed_dictionaries(
        {
            "unit_code": st.sampled_from(("C1", "C2")),
            "before": STATUS_OR_NONE,
            "now": STATUS_OR_NONE,
            "earlier_poor": st.booleans(),
            "earlier_near_poor": st.booleans(),
            "members": st.integers(1, 15),
        }
    ).filter(lambda h: h["before"] is not None or h["now"] is not None),
    max_size=60,
)


@given(HOUSEHOLDS)
def test_the_movement_forms_add_up_for_every_household_and_unit(rows: list[dict[str, Any]]) -> None:
    """9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8 in both forms, of households and of people."""
    frame = years(rows)
    for row in household_flows(frame).iter_rows(named=True):
        for movements in (POOR_MOVEMENTS, NEAR_POOR_MOVEMENTS):
            assert movements.add_up(row), (movements.start, row)
            # Each household is in one column at most of the start side and of the end side.
            assert sum(row[k] for k in (movements.start, *movements.into)) <= 1
            assert sum(row[k] for k in (*movements.out, movements.end)) <= 1
    closure = pl.DataFrame(
        {
            "unit_code": ["C1", "C1", "C2", "C2"],
            "ancestor_code": ["C1", "P", "C2", "P"],
            "ancestor_level": ["commune", "province", "commune", "province"],
        }
    )
    for row in flows_by_unit(frame, closure).iter_rows(named=True):
        assert reconciles(row)
        for movements in (POOR_MOVEMENTS, NEAR_POOR_MOVEMENTS):
            assert movements.add_up(row) and movements.add_up(row, PEOPLE)

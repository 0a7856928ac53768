"""Year-on-year flows: each YAML case at its boundary, and the counts reconcile by unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from ansinh.domain.poverty.flows import FLOW_KEYS, flows_by_unit, household_flows, reconciles

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "flow_cases" / "flows.yaml").read_text(encoding="utf-8")
)


def years(rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {
        "unit_code": pl.String,
        "now": pl.String,
        "before": pl.String,
        "earlier_poor": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_household_counts_in_exactly_its_flows(case: dict[str, Any]) -> None:
    assert case["citation"]
    frame = years([{k: case[k] for k in ("now", "before", "earlier_poor")} | {"unit_code": "X"}])
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
    assert by_code["C1"]["fell_back_into_poverty"] == 2
    only_communes = flows_by_unit(years(rows), closure, levels=["commune"])
    assert only_communes["unit_code"].to_list() == ["C1", "C2"]

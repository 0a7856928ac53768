"""Exit plans: the cause and measure mapping of the catalogue, case by case and on columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from ansinh.domain.poverty import load_standard
from ansinh.domain.poverty.exit_plans import (
    cannot_exit,
    catalogue,
    derived_causes,
    draft_plans,
    measures_for,
    parse_catalogue,
)

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "flow_cases" / "exit_plans.yaml").read_text(encoding="utf-8")
)
STANDARD = load_standard("vn-2022-2025")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_household_s_causes_and_measures(case: dict[str, Any]) -> None:
    book = catalogue()
    causes = derived_causes(book, case["deprived"], case["workers"])
    assert set(causes) == set(case["causes"]), case["citation"]
    assert cannot_exit(book, causes) is case["cannot_exit"]
    assert set(measures_for(book, case["deprived"], causes)) == set(case["measures"])


def test_the_columns_agree_with_the_cases() -> None:
    book = catalogue()
    index = {key: i for i, key in enumerate(STANDARD.indicators)}
    households = pl.DataFrame(
        {
            "household_id": list(range(len(CASES))),
            "workers": [c["workers"] for c in CASES],
            "deprivations": [sum(2 ** index[k] for k in c["deprived"]) for c in CASES],
        }
    )
    plans, measures = draft_plans(book, households, STANDARD.indicators)
    for i, case in enumerate(CASES):
        plan = plans.filter(pl.col("household_id") == i).row(0, named=True)
        assert set(filter(None, (plan["causes"] or "").split(";"))) == set(case["causes"])
        assert plan["cannot_exit"] is case["cannot_exit"]
        mine = measures.filter(pl.col("household_id") == i)
        assert set(mine["measure"]) == set(case["measures"]), case["name"]
        assert mine["measure"].n_unique() == mine.height  # each measure once


def test_each_measure_names_the_indicator_it_answers() -> None:
    index = {key: i for i, key in enumerate(STANDARD.indicators)}
    households = pl.DataFrame(
        {"household_id": [1], "workers": [1], "deprivations": [2 ** index["housing_area"]]}
    )
    _, measures = draft_plans(catalogue(), households, STANDARD.indicators)
    assert measures.rows() == [(1, "housing_support", "housing_area")]


def test_every_entry_has_a_source_and_the_loader_refuses_unknown_ones() -> None:
    book = catalogue()
    assert all(c.references for c in book.causes) and all(m.references for m in book.measures)
    assert {"no_labour", "illness", "lack_of_land", "lack_of_capital", "lack_of_skills"} <= set(
        book.cause_codes
    )
    broken = {
        "references": {"a": {"title": "A"}},
        "target_years_ahead": 1,
        "causes": [{"code": "x", "name_vi": "x", "name_en": "x", "references": ["b"]}],
        "measures": [],
    }
    with pytest.raises(ValueError, match="unknown references"):
        parse_catalogue(broken)

"""New-rural criteria (Decision 318/QD-TTg 2022): counting per commune and recognitions."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.ntm import (
    EVALUATION_SCHEMA,
    RECOGNITION_SCHEMA,
    ntm_report,
    recognition_counts,
)
from ansinh.errors import InputError

SET = catalog.criteria_set(None, 2024)


def evaluations(rows: list[tuple[str, str, int, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=EVALUATION_SCHEMA, orient="row")


def test_the_2021_2025_commune_set_has_19_criteria_and_its_source() -> None:
    assert SET.id == "ntm-commune-2021-2025" and SET.numbers() == list(range(1, 20))
    assert "318/QĐ-TTg" in SET.source
    assert SET.criteria[10].key == "poverty" and SET.criteria[18].key == "defence"
    assert SET.in_force(date(2022, 3, 8)) and not SET.in_force(date(2022, 3, 7))


def test_no_set_for_a_year_without_one_is_an_error() -> None:
    with pytest.raises(InputError, match="criteria set"):
        catalog.criteria_set(None, 2019)


def test_missing_rows_count_as_not_met_and_means_round_half_up() -> None:
    rows = [("A", "D1", 2024, c, 1) for c in range(1, 20)]  # A meets all 19
    rows += [("B", "D1", 2024, c, 1) for c in range(1, 9)]  # B: 8 met, no rows for the rest
    rows += [("C", "D2", 2024, 1, 0), ("C", "D2", 2023, 1, 1)]  # C: none met in 2024
    report = ntm_report(evaluations(rows), 2024, SET)
    total = report.filter(pl.col("parent_code") == "ALL").row(0, named=True)
    # (19 + 8 + 0) / 3 = 9.0; D1: 13.5; meeting all: 1 of 3 = 0.3333.
    assert total == {
        "parent_code": "ALL",
        "communes": 3,
        "criteria_met_mean": 9.0,
        "communes_meeting_all": 1,
        "share_meeting_all": 0.3333,
    }
    assert report["parent_code"].to_list() == ["D1", "D2", "ALL"]
    assert report.filter(pl.col("parent_code") == "D1")["criteria_met_mean"].item() == 13.5


def test_half_up_at_exactly_half_a_hundredth() -> None:
    # 8 communes, 101 criteria met in all: 12.625 exactly → 12.63 (half-up, not to even).
    counts = [19, 19, 19, 19, 7, 6, 6, 6]
    rows = [(f"X{i}", "D", 2024, c, 1) for i, n in enumerate(counts) for c in range(1, n + 1)]
    total = ntm_report(evaluations(rows), 2024, SET).filter(pl.col("parent_code") == "ALL")
    assert total["criteria_met_mean"].item() == 12.63


def test_recognitions_are_cumulative_and_levels_nested() -> None:
    rows = [
        ("A", "D", "commune", "standard", 2019),
        ("A", "D", "commune", "advanced", 2024),
        ("B", "D", "commune", "standard", 2025),
        ("C", "D", "commune", "none", None),
        ("V1", "D", "village", "standard", 2020),
        ("V1", "D", "village", "model", 2023),
        ("V2", "D", "village", "none", None),
    ]
    frame = pl.DataFrame(rows, schema=RECOGNITION_SCHEMA, orient="row")
    y2023 = (
        recognition_counts(frame, 2023).filter(pl.col("parent_code") == "ALL").row(0, named=True)
    )
    assert (y2023["communes_recognised"], y2023["communes_advanced"]) == (1, 0)
    assert (y2023["villages"], y2023["villages_model"], y2023["villages_model_share"]) == (
        2,
        1,
        0.5,
    )
    y2025 = (
        recognition_counts(frame, 2025).filter(pl.col("parent_code") == "ALL").row(0, named=True)
    )
    assert (y2025["communes_listed"], y2025["communes_recognised"]) == (3, 2)
    assert y2025["communes_advanced"] == 1

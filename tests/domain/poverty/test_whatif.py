"""What-if: the same households under two standards, side by side."""

from __future__ import annotations

import polars as pl
import pytest

from ansinh.domain.poverty import deprived_column, load_standard
from ansinh.domain.poverty.whatif import compare

BASE, OTHER = load_standard("vn-2022-2025"), load_standard("vn-2027-2030")
KEYS = list(dict.fromkeys([*BASE.indicators, *OTHER.indicators]))


def questionnaires(rows: list[tuple[str, int, set[str]]]) -> pl.DataFrame:
    data: dict[str, list[object]] = {
        "household_id": list(range(1, len(rows) + 1)),
        "unit_code": [unit for unit, _, _ in rows],
        "members": [4] * len(rows),
        "area": ["rural"] * len(rows),
        "income_per_capita": [income for _, income, _ in rows],
    }
    for key in KEYS:
        data[deprived_column(key)] = [int(key in lacking) for _, _, lacking in rows]
    return pl.DataFrame(data)


def test_the_2027_lines_make_some_households_poorer_and_none_richer() -> None:
    three = {"water", "sanitation", "telecom"}
    found = compare(
        questionnaires(
            [
                ("A", 1_500_000, three),  # poor under both (≤ 1,500,000 and ≤ 2,200,000)
                ("A", 1_600_000, three),  # average → poor (Decree 351/2025: 2,200,000)
                ("B", 2_200_000, set()),  # average → near-poor (at the 2027 line)
                ("B", 2_200_001, set()),  # average under both (above either poverty line)
            ]
        ),
        BASE,
        OTHER,
    )
    assert found.provisional and not found.not_surveyed
    statuses = found.households.select("status_base", "status_other").rows()
    assert statuses == [
        ("poor", "poor"),
        ("average", "poor"),
        ("average", "near_poor"),
        ("average", "average"),
    ]
    rows = {r["unit_code"]: r for r in found.by_unit.iter_rows(named=True)}
    assert (rows["A"]["changed"], rows["A"]["worse"], rows["B"]["changed"]) == (1, 1, 1)
    total = rows["*"]
    assert (total["poor_base"], total["poor_other"], total["near_poor_other"]) == (1, 2, 1)
    assert total["better"] == 0
    # H is people-weighted: everyone has 4 members; the MPI test does not look at income.
    assert total["mpi_h_base"] == pytest.approx(0.5) and total["mpi_h_other"] == pytest.approx(0.5)
    assert found.changes.height == 2


def test_an_indicator_no_questionnaire_answered_is_named() -> None:
    frame = questionnaires([("A", 1_000_000, set())]).with_columns(
        pl.lit(None, dtype=pl.Int8).alias("deprived_waste")
    )
    assert compare(frame, BASE, OTHER).not_surveyed == ("waste",)

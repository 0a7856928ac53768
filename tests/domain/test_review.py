"""Summing the households of a review into cells, before the roll-up up the unit tree."""

from __future__ import annotations

import polars as pl
import pytest

from ansinh.domain.review import deprived_shares, sum_cells

INDICATORS = ("a", "b", "c")
WEIGHTS = {"a": 0.5, "b": 0.25, "c": 0.25}


def household(members: int, deprivations: int, mpi_poor: int) -> dict[str, object]:
    return {
        "unit_code": "V1",
        "head_ethnicity": "01",
        "status": "poor",
        "meritorious": 1,
        "can_work": 1,
        "mpi_poor": mpi_poor,
        "members": members,
        "deprivations": deprivations,
    }


def test_cells_sum_people_weighted_deprivations_and_censor_the_non_poor() -> None:
    results = pl.DataFrame(
        [
            household(4, 0b011, 1),  # deprived in a and b: score 0.75
            household(2, 0b001, 1),  # in a: score 0.5
            household(3, 0b100, 0),  # in c, below the cut-off
        ]
    )
    cells = {row["households"]: row for row in sum_cells(results, INDICATORS, WEIGHTS).to_dicts()}
    poor, other = cells[2], cells[1]
    assert (poor["people"], poor["deprived_a"], poor["deprived_b"], poor["deprived_c"]) == (
        6,
        6,
        4,
        0,
    )
    assert (poor["censored_a"], poor["censored_b"], poor["mpi_poor_people"]) == (6, 4, 6)
    # Σ members × score = 4 × 0.75 + 2 × 0.5 = Σ w_k × censored_k = 0.5 × 6 + 0.25 × 4.
    assert poor["mpi_poor_score"] == pytest.approx(4.0)
    assert (other["people"], other["deprived_c"], other["censored_c"]) == (3, 3, 0)
    assert (other["mpi_poor_people"], other["mpi_poor_score"]) == (0, 0.0)
    assert "mpi_poor" not in poor


def test_no_households_give_no_cells() -> None:
    empty = pl.DataFrame(schema={k: pl.Int64 for k in household(1, 0, 0)}).with_columns(
        pl.col("unit_code", "head_ethnicity", "status").cast(pl.String)
    )
    assert sum_cells(empty, INDICATORS, WEIGHTS).height == 0


def test_deprived_shares_are_the_people_counts_over_the_people() -> None:
    stored = '{"a":[3,1],"b":[0,0]}'
    assert deprived_shares(stored, 6) == {"a": 0.5, "b": 0.0}
    assert deprived_shares(stored, 0) == {"a": 0.0, "b": 0.0}  # a unit with nobody reviewed

"""Earlier years of questionnaires: the same households, a year apart, a little poorer."""

from __future__ import annotations

import polars as pl

from ansinh.synth import generate_province
from ansinh.synth.history import earlier_years


def test_earlier_years_are_the_same_households_a_little_poorer() -> None:
    made = generate_province("15", 500, seed=3)
    earlier = earlier_years(made.surveys, 2, seed=3)
    assert earlier.columns == made.surveys.columns
    assert earlier["year"].value_counts().sort("year").rows() == [("2023", 500), ("2024", 500)]
    last = earlier.filter(pl.col("year") == "2024")
    assert last["household_id"].to_list() == made.surveys["household_id"].to_list()
    now = made.surveys["income_per_capita"].cast(pl.Int64).median()
    before = last["income_per_capita"].cast(pl.Int64).median()
    assert before is not None and now is not None and before < now  # ~8 % a year of growth
    assert earlier.equals(earlier_years(made.surveys, 2, seed=3))  # the same seed, the same past
    assert earlier_years(made.surveys, 0, seed=3).height == 0

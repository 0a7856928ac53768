"""Planning an import a slice of households at a time."""

from __future__ import annotations

import polars as pl

from ansinh.problems import ROW
from ansinh.store.people_import import household_slices


def test_slices_hold_whole_households_in_the_order_of_the_file() -> None:
    people = pl.DataFrame({ROW: [2, 3, 4, 5, 6, 7], "household_id": ["B", "A", "B", "C", "A", "D"]})
    parts = [part[ROW].to_list() for part in household_slices(people, size=2)]
    assert parts == [[2, 3, 4, 6], [5, 7]]
    assert [part.height for part in household_slices(people, size=4)] == [6]

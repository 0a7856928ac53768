"""Planning an import a slice of households at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Connection, Engine
from tests.builders import family, person, write_csv

from ansinh.io.importer import import_file
from ansinh.problems import ROW
from ansinh.store import frames
from ansinh.store.people_import import held_of, held_people, household_slices


def test_slices_hold_whole_households_in_the_order_of_the_file() -> None:
    people = pl.DataFrame({ROW: [2, 3, 4, 5, 6, 7], "household_id": ["B", "A", "B", "C", "A", "D"]})
    parts = [part[ROW].to_list() for part in household_slices(people, size=2)]
    assert parts == [[2, 3, 4, 6], [5, 7]]
    assert [part.height for part in household_slices(people, size=4)] == [6]


def test_what_the_registry_holds_of_a_file_is_read_once_and_only_that_is_asked_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`held_of` finds the file's households, people and citizen IDs that the registry holds;
    each slice then asks the registry about those alone (none for a household new to it)."""
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    new = [
        person("P-NEW-1", "H-NEW", "Vàng Seo Lử", "head", citizen_id="015070000123"),
        person("P-NEW-2", "H-NEW", "Lò Thị Mai", "spouse", citizen_id="099999999999"),
    ]
    file = pl.DataFrame([*family()[:2], *new]).with_columns(pl.int_range(pl.len()).alias(ROW))
    with engine.connect() as connection:
        held = held_of(connection, file)
        assert sorted(held.households) == ["H1"]
        assert sorted(held.people) == ["P1", "P2"]
        assert sorted(held.citizen_ids) == ["015070000123"]  # P1's, stated again by P-NEW-1
        asked: list[list[str]] = []
        read = frames.read_where_in

        def counted(connection: Connection, query: Any, column: Any, values: Any, schema: Any):
            asked.append(sorted(values))
            return read(connection, query, column, values, schema)

        monkeypatch.setattr(frames, "read_where_in", counted)
        holders = held_people(connection, file.filter(pl.col("household_id") == "H-NEW"), held)
        assert holders.is_empty() and asked == []
        holders = held_people(connection, file, held)
        assert sorted(holders["code"]) == ["P1", "P2"] and asked == [["P1", "P2"]]

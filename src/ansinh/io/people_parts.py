"""A households file checked a part at a time, its checked people kept on disk till written."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from ansinh.io.people_checks import across_keys, check_across, check_rows
from ansinh.problems import ROW
from ansinh.store.people_import import (
    PeopleFrame,
    PeopleSource,
    for_planning,
    households_of,
    slice_numbers,
)


@dataclass(frozen=True)
class CheckedFile:
    """Every row's household, the people to plan, the problems found in the file."""

    keys: pl.DataFrame  # ROW and household_id of every row, in file order
    people: PeopleSource
    problems: list[pl.DataFrame]

    def households_at(self, rows: Collection[int | None]) -> pl.Series:
        """The households of these rows of the file."""
        return self.keys.filter(pl.col(ROW).is_in(list(rows)))["household_id"]


def check_file(
    parts: Iterable[pl.DataFrame],
    named: Collection[str],
    communes: set[str],
    today: date,
    directory: Path,
) -> CheckedFile:
    """Check each part's rows, then the rows across the file; a file of more than one part
    keeps its checked people as Parquet in `directory`, and holds only their keys.

    `named`: the file's header, for `for_planning`.
    """
    keys: list[pl.DataFrame] = []
    found: list[pl.DataFrame] = []
    first: pl.DataFrame | None = None
    spill: SpilledPeople | None = None
    for part in parts:
        checked = check_rows(part, communes, today)
        found += [problems for problems in checked.problems if problems.height]
        keys.append(across_keys(checked.people))
        people = for_planning(checked.people, named)
        del checked
        if first is None:
            first = people
            continue
        if spill is None:
            spill = SpilledPeople(directory, first.columns)
            spill.add(first)
        spill.add(people)
    assert first is not None, "read_table_parts yields at least one part"
    every = pl.concat(keys)
    del keys
    found += check_across(every)
    # Checked across: what is left to hold of each row is its household.
    every = every.select(ROW, "household_id")
    people_source: PeopleSource = PeopleFrame(first) if spill is None else spill.held(every)
    return CheckedFile(every, people_source, found)


@dataclass
class SpilledPeople:
    """Checked people written part by part to Parquet files; read back a slice at a time."""

    directory: Path
    names: list[str]
    parts: int = 0
    firsts: list[pl.DataFrame] = field(default_factory=list)

    def add(self, people: pl.DataFrame) -> None:
        people.write_parquet(self.directory / f"people-{self.parts:05d}.parquet", statistics=True)
        self.parts += 1
        self.firsts.append(households_of(people))

    def held(self, keys: pl.DataFrame) -> KeptPeople:
        """The people written, whose rows and households are those of `keys`."""
        households = pl.concat(self.firsts).filter(pl.col("household_id").is_first_distinct())
        return KeptPeople(self.directory, self.names, households, keys.select(ROW, "household_id"))


@dataclass(frozen=True)
class KeptPeople:
    """The people of a file kept on disk (a PeopleSource): only rows and households in memory."""

    directory: Path
    names: list[str]
    every_household: pl.DataFrame
    kept: pl.DataFrame  # ROW and household_id of the people held

    @property
    def columns(self) -> list[str]:
        return self.names

    def households(self) -> pl.DataFrame:
        held = self.kept["household_id"].unique().implode()
        return self.every_household.filter(pl.col("household_id").is_in(held))

    def slices(self, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        number = slice_numbers(self.kept)
        wanted = self.names if columns is None else [ROW, "household_id", *columns]
        files = pl.scan_parquet(self.directory / "*.parquet").select(list(dict.fromkeys(wanted)))
        for part in number.unique().sort():
            rows = self.kept.filter(number == part).select(ROW)
            # Rows in the file's order: a slice's households are most often its rows between
            # two numbers, and Parquet's statistics skip the parts outside them.
            low, high = rows[ROW].min(), rows[ROW].max()
            yield (
                files.filter(pl.col(ROW).is_between(low, high))
                .join(rows.lazy(), on=ROW, how="semi")
                .collect()
                .sort(ROW)
            )

    def rows(self) -> pl.Series:
        return self.kept[ROW]

    def without(self, households: pl.Series) -> PeopleSource:
        kept = self.kept.filter(~pl.col("household_id").is_in(households.implode()))
        return KeptPeople(self.directory, self.names, self.every_household, kept)

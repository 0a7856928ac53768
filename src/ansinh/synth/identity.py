"""Who each person is: a name in their people's tradition, a birth date and a citizen ID."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from ansinh.synth._codes import CHILD, GRANDCHILD, HEAD, PARENT, SIBLING, ethnic_index, ethnic_names
from ansinh.synth._data import load, load_registry
from ansinh.synth._random import weighted_choice
from ansinh.synth.households import Households
from ansinh.synth.members import People
from ansinh.synth.units import Commune

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# People born long ago often have only a birth year on record; children never do.
YEAR_ONLY_BEFORE, YEAR_ONLY_SHARE = 1960, 0.35
# Personal ID numbers are issued at birth registration since 2021; a few are still missing.
MISSING_ID_SHARE = 0.02
_ID_MULTIPLIER = 7_919  # odd and not a multiple of 5: a bijection of the 6-digit serials
_OFFSET_MULTIPLIER = 104_729
# Serials below _MOVED_FROM go to those born in the province (tens of thousands a year and sex
# at most); above, a block of _MOVED_BLOCK for each province code (01-96) to those who moved in.
_MOVED_FROM = 500_000
_MOVED_BLOCK = 5_000


@dataclass(frozen=True)
class Identity:
    full_name: pl.Series
    birth_date: pl.Series  # 'YYYY-MM-DD' or 'YYYY'
    birth_year: Ints
    citizen_id: pl.Series  # 12 digits or ''


def assign(
    households: Households,
    people: People,
    communes: tuple[Commune, ...],
    province_code: str,
    reference: date,
    rng: np.random.Generator,
) -> Identity:
    born = _birth_days(people, reference)
    years = born.dt.year().to_numpy().astype(np.int64)
    year_only = (years < YEAR_ONLY_BEFORE) & (rng.random(people.count) < YEAR_ONLY_SHARE)
    text = born.dt.strftime("%Y-%m-%d")
    birth_date = pl.select(
        pl.when(pl.Series(year_only)).then(text.str.slice(0, 4)).otherwise(text)
    ).to_series()
    numbers = np.array([int(c.code) for c in communes], dtype=np.int64)
    commune_numbers = numbers[households.commune[people.household]]
    return Identity(
        full_name=_names(people, years, rng),
        birth_date=birth_date.alias("birth_date"),
        birth_year=years,
        citizen_id=_citizen_ids(people, years, province_code, commune_numbers, rng),
    )


def _birth_days(people: People, reference: date) -> pl.Series:
    days = np.floor(people.age * 365.2425).astype(np.int64)
    base = np.datetime64(reference.isoformat(), "D")
    return pl.Series("born", base - days.astype("timedelta64[D]"))


def _names(people: People, years: Ints, rng: np.random.Generator) -> pl.Series:
    """Surname of the household's line, then middle and given names by sex and generation."""
    config = load("names")
    traditions = list(config["traditions"].values())
    tradition = _tradition_table(config)[people.ethnicity]
    # The head's line: head, children, grandchildren, siblings and the head's father share it.
    line = np.isin(people.role, [HEAD, CHILD, GRANDCHILD, SIBLING]) | (
        (people.role == PARENT) & people.male
    )
    head_of = np.searchsorted(people.household, people.household)  # first member is the head
    vocabulary = _Vocabulary()
    surname, middle, given = (np.zeros(people.count, np.int64) for _ in range(3))
    younger = years >= int(config["younger_from"])
    for t, spec in enumerate(traditions):  # a loop over traditions, each step vectorised
        mine = tradition == t
        surname[mine] = vocabulary.draw(spec["surnames"], int(mine.sum()), rng)
        for sex, is_male in (("male", True), ("female", False)):
            for young in (False, True):
                chosen = mine & (people.male == is_male) & (younger == young)
                table = spec.get("middle_younger", spec["middle"]) if young else spec["middle"]
                middle[chosen] = vocabulary.draw(table[sex], int(chosen.sum()), rng)
            chosen = mine & (people.male == is_male)
            given[chosen] = vocabulary.draw(spec["given"][sex], int(chosen.sum()), rng)
    surname = np.where(line, surname[head_of], surname)
    words = pl.Series(vocabulary.words, dtype=pl.String)
    parts = pl.DataFrame(
        {"s": words.gather(surname), "m": words.gather(middle), "g": words.gather(given)}
    )
    full = parts.select(
        pl.concat_str(
            [pl.col("s"), pl.when(pl.col("m") != "").then(pl.col("m")), pl.col("g")],
            separator=" ",
            ignore_nulls=True,
        )
    )
    return full.to_series().alias("full_name")


class _Vocabulary:
    """Every name part drawn, numbered, so that people hold integers until the very end."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._index: dict[str, int] = {}

    def draw(self, weights: dict[str, float], size: int, rng: np.random.Generator) -> Ints:
        codes = np.array([self._code(word) for word in weights], dtype=np.int64)
        return codes[weighted_choice(rng, list(weights.values()), size)]

    def _code(self, word: str) -> int:
        if word not in self._index:
            self._index[word] = len(self.words)
            self.words.append(word)
        return self._index[word]


def _tradition_table(config: dict[str, Any]) -> Ints:
    names = list(config["traditions"])
    table = np.full(len(ethnic_names()), names.index(config["default_tradition"]), np.int64)
    for position, spec in enumerate(config["traditions"].values()):
        for group in spec["ethnic_groups"]:
            table[ethnic_names().index(group)] = position
    return table


def _citizen_ids(
    people: People,
    years: Ints,
    province_code: str,
    communes: Ints,
    rng: np.random.Generator,
) -> pl.Series:
    """Birth-province code, century-and-sex digit, year, then a serial unique per prefix."""
    rules = load_registry("citizen_id")
    century = sorted((int(k), v) for k, v in rules["century_sex_digits"].items())
    first = century[0][0]
    digits = np.array([[int(male), int(female)] for _, (male, female) in century])
    sex_digit = digits[(years - first) // 100, np.where(people.male, 0, 1)]
    province, moved = _birth_provinces(people, province_code, communes, rng)
    prefix = province * 1000 + sex_digit * 100 + years % 100
    # Serials count up within each prefix, through a bijection of the six digits that depends
    # on the prefix alone, so that no two people share a number and neighbours do not look
    # consecutive. Those born in the province take the lower half of the numbers; those who
    # moved in take, in the upper half, a block of their new province's own: the provinces
    # generated into one registry never give two people one number.
    group = prefix * 2 + moved
    order = np.argsort(group, kind="stable")
    ordered = group[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    run = np.diff(np.r_[starts, ordered.size])
    rank = np.empty_like(prefix)
    rank[order] = np.arange(ordered.size) - np.repeat(starts, run)
    rng.integers(0, 1_000_000, np.unique(prefix).size)  # drawn as before: later draws unchanged
    block = _MOVED_FROM + int(province_code) * _MOVED_BLOCK
    number = np.where(moved, block + rank % _MOVED_BLOCK, rank % _MOVED_FROM)
    offset = prefix * _OFFSET_MULTIPLIER % 1_000_000
    serial = (number * _ID_MULTIPLIER + offset) % 1_000_000
    ids = pl.Series(prefix * 1_000_000 + serial).cast(pl.String).str.zfill(12)
    missing = pl.Series(rng.random(people.count) < MISSING_ID_SHARE)
    return pl.select(pl.when(missing).then(pl.lit("")).otherwise(ids)).to_series()


def _birth_provinces(
    people: People, province_code: str, communes: Ints, rng: np.random.Generator
) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """The old province code where each birth was registered (Circular 59/2021/TT-BCA)."""
    config = load("provinces")
    codes = np.full(communes.size, int(province_code), dtype=np.int64)
    for span in config.get("birth_codes", {}).get(province_code, []):
        codes[(communes >= span["from"]) & (communes <= span["to"])] = int(span["code"])
    migrants = config.get("migrant_codes", {})
    moved = np.zeros(communes.size, dtype=bool)
    if migrants:
        share = float(config.get("migrant_share", 0.0))
        kinh_adult = (people.ethnicity == ethnic_index("Kinh")) & (people.age >= 18)
        moved = kinh_adult & (rng.random(communes.size) < share)
        origin = np.array([int(code) for code in migrants], dtype=np.int64)
        codes[moved] = origin[weighted_choice(rng, list(migrants.values()), int(moved.sum()))]
    return codes, moved

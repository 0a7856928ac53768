"""A poverty standard as plain values: lines, indicators, ordered rules, MPI weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ansinh.domain.names import fold

AREAS = ("rural", "urban")
AREA_NAMES_VI = {"rural": "nông thôn", "urban": "thành thị"}
# Most severe first: a household's status never moves the wrong way along this order.
STATUSES = ("poor", "near_poor", "average", "none")
STATUS_NAMES_VI = {
    "poor": "hộ nghèo",
    "near_poor": "hộ cận nghèo",
    "average": "hộ có mức sống trung bình",
    "none": "không thuộc diện",
}
SCOPES = ("national", "local")

AREA_WORDS = {"rural": "rural", "nong thon": "rural", "urban": "urban", "thanh thi": "urban"}


def normalize_area(text: str | None) -> str | None:
    """'rural'/'urban' for rural, urban, nông thôn, thành thị in any case or spelling of marks."""
    if text is None:
        return None
    return AREA_WORDS.get(fold(text))


def severity(status: str) -> int:
    """3 for poor down to 0 for none, so that 'poorer' compares as 'greater'."""
    return len(STATUSES) - 1 - STATUSES.index(status)


@dataclass(frozen=True)
class Reference:
    """A legal source (or, for examples and estimates, the stated origin of a value)."""

    id: str
    title: str
    article: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    name_vi: str
    name_en: str
    definition_vi: str
    references: tuple[str, ...]
    definition_en: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Dimension:
    key: str
    name_vi: str
    name_en: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class IncomeLine:
    """An income line in VND per person per month, one value per area."""

    key: str
    name_vi: str
    name_en: str
    values: Mapping[str, int]
    references: tuple[str, ...]
    provisional: bool = False


@dataclass(frozen=True)
class Rule:
    """One row of the decision table: all its conditions must hold; the first match wins."""

    status: str
    references: tuple[str, ...]
    income_at_most: str | None = None
    income_above: str | None = None
    deprivations_at_least: int | None = None
    deprivations_below: int | None = None

    @property
    def line(self) -> str | None:
        return self.income_at_most or self.income_above

    def matches(self, income: int, count: int, lines: Mapping[str, int]) -> bool:
        """Whether a household with this income and deprivation count meets every condition."""
        if self.income_at_most is not None and income > lines[self.income_at_most]:
            return False
        if self.income_above is not None and income <= lines[self.income_above]:
            return False
        if self.deprivations_at_least is not None and count < self.deprivations_at_least:
            return False
        return not (self.deprivations_below is not None and count >= self.deprivations_below)


@dataclass(frozen=True)
class PovertyStandard:
    """A standard in force for reviews dated within [valid_from, valid_to]."""

    id: str
    name_vi: str
    name_en: str
    scope: str
    example: bool
    provisional: bool
    valid_from: date
    valid_to: date
    last_value_still_valid_on: date
    references: Mapping[str, Reference]
    validity_references: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    income_lines: Mapping[str, IncomeLine]
    rules: tuple[Rule, ...]
    indicator_weights: Mapping[str, float]
    mpi_k: float
    mpi_references: tuple[str, ...]
    notes: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(ind.key for dim in self.dimensions for ind in dim.indicators)

    @property
    def indicator_details(self) -> tuple[Indicator, ...]:
        return tuple(ind for dim in self.dimensions for ind in dim.indicators)

    @property
    def provisional_indicators(self) -> tuple[str, ...]:
        return tuple(ind.key for ind in self.indicator_details if ind.provisional)

    def lines_for(self, area: str) -> dict[str, int]:
        """Every income line's value for one area."""
        return {key: line.values[area] for key, line in self.income_lines.items()}

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

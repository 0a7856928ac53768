"""Benefit rules as plain values: dated bases, programmes, their categories and level rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Who a programme pays when a person holds several of its categories: the highest amount only
# (Decree 20/2021 Art. 6(2)) or each category (Ordinance 02/2020 Art. 6(3)).
PAYS = ("highest", "each")
# How often: every month from the first month owed, or once, in the month of the decision.
PERIODICITY = ("monthly", "once")


@dataclass(frozen=True)
class BaseValue:
    valid_from: date
    value: float
    reference: str
    provisional: bool = False  # read in secondary sources only: shown as such on a payroll


@dataclass(frozen=True)
class Base:
    """A dated base level (the social-assistance standard, the meritorious-people base...)."""

    code: str
    name_vi: str
    name_en: str
    values: tuple[BaseValue, ...]

    def value_on(self, day: date) -> BaseValue | None:
        """The value with the latest date on or before `day`, if any."""
        found = [v for v in self.values if v.valid_from <= day]
        return max(found, key=lambda v: v.valid_from) if found else None


@dataclass(frozen=True)
class LevelRow:
    """One line of a level table: an amount, or a coefficient of the base, when it applies.

    Ages are whole years reached by the end of the month (Decree 20/2021 Art. 8: a level changes
    from the month the person qualifies for it); injury rates are whole percent, inclusive.
    """

    coefficient: float | None = None
    amount: int | None = None
    age_from: int | None = None
    age_below: int | None = None
    injury_rate_from: int | None = None
    injury_rate_to: int | None = None
    per_child: bool = False  # the amount is owed for each child the person raises


@dataclass(frozen=True)
class LevelSet:
    """The rows in force from `valid_from` until the next set; no rows: the category ended."""

    valid_from: date
    reference: str
    rows: tuple[LevelRow, ...]


@dataclass(frozen=True)
class Attachment:
    """A category paid with another one, automatically (a supplement at 81 % injury or more)."""

    category: str
    injury_rate_from: int | None = None


@dataclass(frozen=True)
class Eligibility:
    """What the registry can check of a category's conditions; `note` says the rest."""

    age_from: int | None = None
    age_below: int | None = None
    household_status: tuple[str, ...] = ()
    disability: str | None = None
    disadvantaged_area: bool = False
    no_pension: bool = False
    note: str = ""
    # Every condition but the pension is in the registry: the coverage check may name people
    # who look entitled and receive nothing, or are paid and no longer qualify.
    checkable: bool = False


@dataclass(frozen=True)
class Category:
    code: str
    name_vi: str
    name_en: str
    reference: str
    levels: tuple[LevelSet, ...]
    level_by: str | None = None  # "injury_rate" or "children": the level depends on it
    monthly: bool = True  # False: a one-off allowance only, never on a monthly payroll
    eligibility: Eligibility = field(default_factory=Eligibility)
    attach: tuple[Attachment, ...] = ()

    def level_on(self, day: date) -> LevelSet | None:
        found = [s for s in self.levels if s.valid_from <= day]
        return max(found, key=lambda s: s.valid_from) if found else None


@dataclass(frozen=True)
class Programme:
    code: str
    name_vi: str
    name_en: str
    base: str | None
    pays: str
    periodicity: str
    categories: tuple[Category, ...]
    # Groups of categories of which only the highest is paid, for a programme that pays each.
    highest_only: tuple[tuple[str, ...], ...] = ()
    # Categories paid besides the highest, for a programme that pays the highest only.
    paid_besides_highest: tuple[str, ...] = ()
    # category -> the categories whose holder is not paid it (Ordinance 02/2020 Art. 39(4)).
    excluded_by: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Other programmes with which only the higher is paid (Law 41/2024 Art. 22(2)).
    highest_with: tuple[str, ...] = ()
    scope: str | None = None  # a province's own programme: its province code
    last_checked: str = ""

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)


@dataclass(frozen=True)
class Rules:
    """Everything the entitlement engine reads: the bases and the programmes by code."""

    bases: dict[str, Base]
    programmes: dict[str, Programme]

    def programme(self, code: str) -> Programme | None:
        return self.programmes.get(code)

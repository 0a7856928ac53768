"""Administrative units as a tree of any depth, with codes, levels and validity dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

COUNTRY_CODE = "VN"
# The day the two-level local government (province, commune) took effect.
TWO_LEVEL_SINCE = date(2025, 7, 1)
LEVELS = ("country", "province", "district", "commune", "village")


@dataclass(frozen=True)
class AdminUnit:
    code: str
    name: str
    level: str
    division_type: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None = None
    legacy: bool = False

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def village_code(commune_code: str, number: int) -> str:
    """Villages have no national code: An Sinh names them after their commune."""
    return f"{commune_code}-{number:02d}"


def ancestors(code: str, parent_of: Mapping[str, str | None]) -> list[str]:
    """The unit itself and every unit above it, nearest first."""
    chain = [code]
    seen = {code}
    parent = parent_of.get(code)
    while parent is not None:
        if parent in seen:
            raise ValueError(f"unit tree has a cycle at {parent}")
        chain.append(parent)
        seen.add(parent)
        parent = parent_of.get(parent)
    return chain


def closure(units: Iterable[AdminUnit]) -> list[tuple[str, str]]:
    """(unit, ancestor-or-self) pairs: every unit rolls up into each of these."""
    parent_of = {unit.code: unit.parent_code for unit in units}
    return [(code, above) for code in parent_of for above in ancestors(code, parent_of)]

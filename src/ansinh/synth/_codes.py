"""Code lists the generator indexes by position: ethnic groups and relations to the head."""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from ansinh.synth._data import load_registry

# Relations in the order members are listed within a household.
ROLES = (
    "head",
    "spouse",
    "parent",
    "child",
    "child_in_law",
    "grandchild",
    "sibling",
    "other",
)
HEAD, SPOUSE, PARENT, CHILD, CHILD_IN_LAW, GRANDCHILD, SIBLING, OTHER = range(len(ROLES))


@functools.cache
def ethnic_names() -> tuple[str, ...]:
    """The 54 group names in GSO code order: index i is code i + 1."""
    groups = load_registry("ethnic_groups")["groups"]
    return tuple(str(g["name"]) for g in sorted(groups, key=lambda g: int(g["code"])))


def ethnic_index(name: str) -> int:
    try:
        return ethnic_names().index(name)
    except ValueError:
        raise ValueError(f"unknown ethnic group {name!r} in a synth data file") from None


def member_table(members: list[list[str]], default: int) -> npt.NDArray[np.int64]:
    """Ethnic index → which of several groupings lists it (`default` for the rest)."""
    table = np.full(len(ethnic_names()), default, dtype=np.int64)
    for position, names in enumerate(members):
        for name in names:
            table[ethnic_index(name)] = position
    return table


def value_table(values: dict[str, float], default: float) -> npt.NDArray[np.float64]:
    """Ethnic index → a number given by name (`default` for groups not named)."""
    table = np.full(len(ethnic_names()), default, dtype=np.float64)
    for name, value in values.items():
        table[ethnic_index(name)] = value
    return table

"""People: one row per household member with relation, sex, age and ethnic group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ansinh.synth._codes import (
    CHILD,
    CHILD_IN_LAW,
    GRANDCHILD,
    HEAD,
    OTHER,
    PARENT,
    ROLES,
    SIBLING,
    SPOUSE,
)
from ansinh.synth._data import load
from ansinh.synth.households import Households

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class People:
    """One entry per person, grouped by household in the order of ROLES."""

    household: Ints
    role: Ints
    rank: Ints  # position among the household's members of the same role
    male: Bools
    age: Floats  # exact age in years on the reference day
    ethnicity: Ints

    @property
    def count(self) -> int:
        return int(self.household.size)


def expand(households: Households, rng: np.random.Generator) -> People:
    """Lay out every household's members and give each a sex, an age and a group."""
    counts = households.counts
    sizes = counts.sum(axis=1)
    household = np.repeat(np.arange(sizes.size), sizes)
    position = np.arange(household.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    ends = np.cumsum(counts, axis=1)
    role = np.zeros(household.size, dtype=np.int64)
    for r in range(len(ROLES) - 1):
        role += position >= ends[household, r]
    rank = position - (ends - counts)[household, role]
    u = rng.random((4, household.size))
    return People(
        household=household,
        role=role,
        rank=rank,
        male=_sex(households, household, role, rank, u[0]),
        age=_age(households, household, role, rank, u[1], rng),
        ethnicity=_ethnicity(households, household, role, u[2]),
    )


def _sex(h: Households, hh: Ints, role: Ints, rank: Ints, u: Floats) -> Bools:
    head_male = h.head_male[hh]
    parent_male = np.where(h.counts[hh, PARENT] == 2, rank == 0, u < 0.3)
    child_male = np.where(rank == 0, h.first_child_male[hh], u < 0.52)
    male: Bools = np.select(
        [role == HEAD, role == SPOUSE, role == PARENT, role == CHILD, role == CHILD_IN_LAW],
        [head_male, ~head_male, parent_male, child_male, ~h.first_child_male[hh]],
        u < 0.52,
    )
    return male


def _age(
    h: Households, hh: Ints, role: Ints, rank: Ints, u: Floats, rng: np.random.Generator
) -> Floats:
    n = hh.size
    head = h.head_age[hh]
    spouse_gap = np.where(h.head_male[hh], -3.0, 3.0) + rng.normal(0, 3, n)
    in_law_gap = np.where(h.first_child_male[hh], -2.0, 2.0) + rng.normal(0, 2, n)
    eldest = h.child_eldest[hh]
    age: Floats = np.select(
        [
            role == HEAD,
            role == SPOUSE,
            role == PARENT,
            role == CHILD,
            role == CHILD_IN_LAW,
            role == GRANDCHILD,
            role == SIBLING,
            role == OTHER,
        ],
        [
            head,
            np.clip(head + spouse_gap, 18, 100),
            np.minimum(head + 20 + 15 * u + 2 * (rank == 0), 101),
            eldest - h.child_spacing[hh] * rank,
            np.clip(eldest + in_law_gap, 18, 100),
            h.grandchild_eldest[hh] - h.grandchild_spacing[hh] * rank,
            np.clip(head - 12 + 20 * u, 16, 96),
            10 + 60 * u,
        ],
        0.0,
    )
    # A child exactly on the limit would be born on the reference day: keep it just older.
    return np.maximum(age, 0.01)


def _ethnicity(h: Households, hh: Ints, role: Ints, u: Floats) -> Ints:
    married_in = (role == SPOUSE) | (role == CHILD_IN_LAW)
    outside = married_in & (u < float(load("population")["mixed_marriage"]))
    group: Ints = np.where(outside, h.partner_ethnicity[hh], h.ethnicity[hh])
    return group

"""Households: where each lives, its ethnic group, its shape and how many members of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ansinh.synth._codes import (
    CHILD,
    CHILD_IN_LAW,
    GRANDCHILD,
    OTHER,
    PARENT,
    ROLES,
    SIBLING,
    SPOUSE,
    ethnic_index,
    member_table,
)
from ansinh.synth._data import load
from ansinh.synth._random import weighted_choice
from ansinh.synth.units import Commune

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# Villages are mostly of one people (a Mông village, a Tày village): this share of households
# take their village's group, the rest are drawn from the commune's mix.
VILLAGE_COHESION = 0.75


@dataclass(frozen=True)
class Households:
    """One entry per household, sorted by commune and village."""

    commune: Ints  # index into the province's communes
    village: Ints  # village number within the commune, from 1
    ethnicity: Ints  # head's group, index into ethnic_names()
    partner_ethnicity: Ints  # group of a spouse from outside, when there is one
    pattern: Ints  # family pattern index
    kind: Ints  # household type index
    counts: Ints  # members per role, shape (households, len(ROLES))
    head_age: Floats
    head_male: Bools
    first_child_male: Bools
    child_eldest: Floats  # age of the eldest child at home
    child_spacing: Floats
    grandchild_eldest: Floats
    grandchild_spacing: Floats

    @property
    def size(self) -> Ints:
        sizes: Ints = self.counts.sum(axis=1)
        return sizes


def generate(
    communes: tuple[Commune, ...],
    per_commune: Ints,
    villages: Ints,
    rng: np.random.Generator,
) -> Households:
    """Place households in communes and villages, then give each a shape and its members."""
    config = load("population")
    commune = np.repeat(np.arange(len(communes)), per_commune)
    village = _villages(commune, villages, rng)
    ethnicity, partner = _ethnicity(communes, commune, village, villages, rng)
    patterns = list(config["patterns"].values())
    pattern = member_table(
        [p["ethnic_groups"] for p in patterns],
        list(config["patterns"]).index(config["default_pattern"]),
    )[ethnicity]
    kind = _kinds(pattern, patterns, list(config["types"]), rng)
    return _shape(commune, village, ethnicity, partner, pattern, kind, config, rng)


def _villages(commune: Ints, villages: Ints, rng: np.random.Generator) -> Ints:
    drawn = rng.integers(0, villages[commune]) + 1
    # Registry order: by commune, then village (commune is already sorted).
    return np.sort(drawn + commune * 1000) - commune * 1000


def _ethnicity(
    communes: tuple[Commune, ...],
    commune: Ints,
    village: Ints,
    villages: Ints,
    rng: np.random.Generator,
) -> tuple[Ints, Ints]:
    """Each household's group and the group of a possible outside spouse."""
    n = commune.size
    own, partner = np.empty(n, np.int64), np.empty(n, np.int64)
    bounds = np.searchsorted(commune, np.arange(len(communes) + 1))
    for i, unit in enumerate(communes):  # a loop over communes, each step vectorised
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        names = list(unit.profile.mix)
        codes = np.array([ethnic_index(name) for name in names], dtype=np.int64)
        weights = list(unit.profile.mix.values())
        village_group = codes[weighted_choice(rng, weights, int(villages[i]))]
        mixed = codes[weighted_choice(rng, weights, hi - lo)]
        cohesive = rng.random(hi - lo) < VILLAGE_COHESION
        own[lo:hi] = np.where(cohesive, village_group[village[lo:hi] - 1], mixed)
        partner[lo:hi] = codes[weighted_choice(rng, weights, hi - lo)]
    return own, partner


def _kinds(
    pattern: Ints, patterns: list[dict[str, Any]], kinds: list[str], rng: np.random.Generator
) -> Ints:
    kind = np.empty(pattern.size, np.int64)
    for p, spec in enumerate(patterns):
        chosen = pattern == p
        weights = [float(spec["types"].get(k, 0.0)) for k in kinds]
        kind[chosen] = weighted_choice(rng, weights, int(chosen.sum()))
    return kind


def _shape(
    commune: Ints,
    village: Ints,
    ethnicity: Ints,
    partner: Ints,
    pattern: Ints,
    kind: Ints,
    config: dict[str, Any],
    rng: np.random.Generator,
) -> Households:
    types = list(config["types"].values())
    n = kind.size

    def param(key: str, default: float = 0.0) -> Floats:
        return np.array([float(t.get(key, default)) for t in types])[kind]

    def children_mode(mode: str) -> Bools:
        return np.array([t.get("children") == mode for t in types])[kind]

    age = np.array([t["head_age"] for t in types], dtype=np.float64)[kind]
    head_age = np.clip(rng.normal(age[:, 0], age[:, 1]), age[:, 2], age[:, 3])
    head_age += rng.random(n)  # the fraction of a year since the last birthday
    pattern_male = np.array([p["head_male"] for p in config["patterns"].values()])[pattern]
    type_male = param("head_male", -1.0)
    head_male = rng.random(n) < np.where(type_male >= 0, type_male, pattern_male)
    mean_children = np.array([p["children_mean"] for p in config["patterns"].values()])[pattern]

    counts = np.zeros((n, len(ROLES)), dtype=np.int64)
    counts[:, 0] = 1
    counts[:, SPOUSE] = rng.random(n) < param("spouse")
    parents = np.array([bool(t.get("parents", False)) for t in types])[kind]
    counts[:, PARENT] = parents * (1 + (rng.random(n) < 0.4))
    counts[:, SIBLING] = rng.random(n) < param("sibling")
    counts[:, OTHER] = rng.random(n) < float(config["other_member"])

    young, married = children_mode("young"), children_mode("married")
    at_least_one = children_mode("at_least_one")
    eldest = np.where(
        married,
        head_age - rng.uniform(20, 32, n),
        np.minimum(head_age - rng.uniform(19, 30, n), rng.uniform(18, 30, n)),
    )
    spacing = np.where(married, rng.uniform(2, 6, n), rng.uniform(1.5, 4, n))
    wanted = np.select(
        [young, married, at_least_one],
        [
            rng.poisson(mean_children),
            1 + (rng.random(n) < 0.3),
            1 + rng.poisson(np.maximum(mean_children - 1, 0.3)),
        ],
        0,
    )
    counts[:, CHILD] = np.minimum(wanted, _room(eldest, head_age, spacing))
    has_couple = married & (counts[:, CHILD] > 0)
    counts[:, CHILD_IN_LAW] = has_couple & (rng.random(n) < 0.9)

    g_eldest = np.where(married, eldest - rng.uniform(19, 28, n), rng.uniform(3, 15, n))
    g_spacing = rng.uniform(1.5, 4, n)
    g_wanted = np.where(married, rng.poisson(mean_children), rng.random(n) < param("grandchild"))
    room = np.where(married, _room(g_eldest, eldest, g_spacing), 1)
    counts[:, GRANDCHILD] = np.where(married & ~has_couple, 0, np.minimum(g_wanted, room))

    return Households(
        commune=commune,
        village=village,
        ethnicity=ethnicity,
        partner_ethnicity=partner,
        pattern=pattern,
        kind=kind,
        counts=counts,
        head_age=head_age,
        head_male=head_male,
        first_child_male=rng.random(n) < np.where(married, 0.85, 0.52),
        child_eldest=eldest,
        child_spacing=spacing,
        grandchild_eldest=g_eldest,
        grandchild_spacing=g_spacing,
    )


def _room(eldest: Floats, parent_age: Floats, spacing: Floats) -> Ints:
    """How many children fit between the eldest's age and a youngest at most 40 years younger
    than the parent and not yet unborn."""
    youngest_allowed = np.maximum(0.0, parent_age - 40.0)
    fits = np.floor((eldest - youngest_allowed) / spacing) + 1
    room: Ints = np.where(eldest >= youngest_allowed, fits, 0).astype(np.int64)
    return room

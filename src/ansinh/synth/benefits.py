"""Which benefits each person receives: meritorious records, social assistance, health cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from ansinh.synth._codes import ethnic_index
from ansinh.synth._data import load
from ansinh.synth._random import weighted_choice
from ansinh.synth.capacity import Capacity
from ansinh.synth.households import Households
from ansinh.synth.members import People
from ansinh.synth.units import Commune

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
ASSISTANCE = ("disabled_severe", "disabled", "elderly_80", "elderly_75_poor", "child_under3_poor")


@dataclass(frozen=True)
class Benefits:
    meritorious: pl.Series  # category code or ''
    social_assistance: pl.Series
    health_insurance: pl.Series


def assign(
    households: Households,
    people: People,
    capacity: Capacity,
    communes: tuple[Commune, ...],
    status: npt.NDArray[Any],
    rng: np.random.Generator,
) -> Benefits:
    """`status` is each household's poverty status under the standard in force."""
    config = load("benefits")
    poor_home = np.isin(status, ["poor", "near_poor"])[people.household]
    merit_codes = list(config["meritorious"]["categories"])
    meritorious = _meritorious(config["meritorious"], people, rng)
    eba = np.array([c.profile.eba for c in communes])[households.commune[people.household]]
    assistance = _assistance(config["social_assistance"], people, capacity, poor_home & eba, rng)
    applies = {
        "meritorious": meritorious > 0,
        "social_assistance": assistance > 0,
        "poor": (status == "poor")[people.household],
        "near_poor": (status == "near_poor")[people.household],
        "ethnic_minority_area": eba & (people.ethnicity != ethnic_index("Kinh")),
        "child_under6": people.age < 6,
    }
    order = list(config["health_insurance_order"])
    card = np.zeros(people.count, dtype=np.int64)
    for position in reversed(range(len(order))):  # the first that applies wins
        card = np.where(applies[order[position]], position + 1, card)
    return Benefits(
        meritorious=_labels("meritorious_category", merit_codes, meritorious),
        social_assistance=_labels("social_assistance_category", list(ASSISTANCE), assistance),
        health_insurance=_labels("health_insurance_category", order, card),
    )


def _labels(name: str, codes: list[str], index: Ints) -> pl.Series:
    """Codes by position (1-based; 0 is no benefit), as a text column."""
    return pl.Series(name, ["", *codes], dtype=pl.String).gather(index)


def _meritorious(config: dict[str, Any], people: People, rng: np.random.Generator) -> Ints:
    categories = config["categories"]
    drawn = weighted_choice(rng, [c["weight"] for c in categories.values()], people.count)
    old_enough = people.age >= float(config["min_age"])
    chosen = old_enough & (rng.random(people.count) < float(config["share"]))
    for position, rule in enumerate(categories.values()):
        allowed = people.age >= float(rule.get("min_age", config["min_age"]))
        if rule.get("female_only"):
            allowed &= ~people.male
        chosen &= (drawn != position) | allowed
    merit: Ints = np.where(chosen, drawn + 1, 0)
    return merit


def _assistance(
    config: dict[str, Any],
    people: People,
    capacity: Capacity,
    poor_home: Bools,
    rng: np.random.Generator,
) -> Ints:
    u = rng.random(people.count)
    conditions = [
        capacity.extremely_severe,
        capacity.disabled,
        (people.age >= 80) & (u < float(config["elderly_80_share"])),
        # Decree 20/2021 Art. 5(5)(b), (7): poor or near-poor households of the extremely
        # disadvantaged communes only (`poor_home` is passed so).
        (people.age >= 75)
        & (people.age < 80)
        & poor_home
        & (u < float(config["elderly_75_poor_share"])),
        (people.age < 3) & poor_home & (u < float(config["child_under3_poor_share"])),
    ]
    category: Ints = np.select(conditions, list(range(1, len(ASSISTANCE) + 1)), 0)
    return category

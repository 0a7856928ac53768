"""How each household lives: its area, income per person and the deprivations it suffers."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from ansinh.domain.poverty import PovertyStandard, deprived_column
from ansinh.synth._codes import ethnic_index
from ansinh.synth._data import load
from ansinh.synth.capacity import Capacity
from ansinh.synth.households import Households
from ansinh.synth.members import People
from ansinh.synth.units import Commune

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def survey(
    households: Households,
    people: People,
    able: Capacity,
    communes: tuple[Commune, ...],
    standard: PovertyStandard,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """area, income_per_capita and deprived_<key> (0/1), one row per household, in order.

    An indicator about some members (children at school, adults of working age, ...) is drawn
    only for households that have such a member (Decree 07/2021/NĐ-CP, Article 3, clause 1(b));
    `dependents` follows from who can work.
    """
    config = load("living")
    names = list(config["income"]["median"])
    zone = np.array([names.index(c.profile.zone) for c in communes])[households.commune]
    urban = np.array([c.urban for c in communes])[households.commune]
    shortfall = rng.standard_normal(zone.size)  # how many σ below the zone's median
    columns: dict[str, Any] = {
        "area": pl.Series(["rural", "urban"]).gather(urban.astype(np.int64)),
        "income_per_capita": _income(config["income"], households, zone, names, shortfall),
    }
    deprivation = config["deprivation"]
    link = float(deprivation["income_link"])
    for key in standard.indicators:
        if key == "dependents":
            flag = _dependents(people, able, zone.size, float(deprivation["dependents_share"]))
        else:
            base = np.array([float(deprivation["base"][n][key]) for n in names])[zone]
            odds = np.log(base / (1 - base)) + link * shortfall
            chance = 1 / (1 + np.exp(-odds))
            has = _has_members(people, zone.size, deprivation["members"].get(key))
            flag = has & (rng.random(zone.size) < chance)
        columns[deprived_column(key)] = flag.astype(np.int8)
    return pl.DataFrame(columns)


def _income(
    spec: dict[str, Any], households: Households, zone: Any, names: list[str], shortfall: Floats
) -> Any:
    minority = households.ethnicity != ethnic_index("Kinh")
    log_median = np.log(np.array([float(spec["median"][n]) for n in names]))[zone]
    log_income = log_median + minority * float(spec["minority_shift"])
    per_capita = np.exp(log_income - float(spec["sigma"]) * shortfall)
    return (np.round(per_capita / 1000) * 1000).astype(np.int64)


def _has_members(people: People, households: int, ages: list[float] | None) -> Bools:
    """Whether each household has a member aged within [from, to) (every household if None)."""
    if ages is None:
        return np.ones(households, dtype=np.bool_)
    within = (people.age >= ages[0]) & (people.age < ages[1])
    has: Bools = np.bincount(people.household, weights=within, minlength=households) > 0
    return has


def _dependents(people: People, able: Capacity, households: int, share: float) -> Bools:
    """More than `share` of the members cannot work: children, the old, the disabled."""
    size = np.bincount(people.household, minlength=households)
    dependent = np.bincount(people.household, weights=~able.able, minlength=households)
    flag: Bools = dependent > share * size
    return flag

"""Who can work: severe disability and the ability to work, by age."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ansinh.synth.members import People

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# Severe disability rises with age (about 1.5 % of people overall; the 2016 national disability
# survey found 7 % with any disability, most of them mild). A fifth of the severe cases are
# "extremely severe" (đặc biệt nặng).
DISABILITY_BASE, DISABILITY_PER_YEAR = 0.004, 0.00025
EXTREMELY_SEVERE_SHARE = 0.2
# Ability to work by age band: [lowest age, probability]. Below 15 nobody; rural elderly often
# keep working into their sixties.
ABLE_BY_AGE = ((15.0, 0.96), (61.0, 0.55), (70.0, 0.25), (75.0, 0.05))


@dataclass(frozen=True)
class Capacity:
    disabled: Bools  # severe disability (social-assistance category)
    extremely_severe: Bools
    able: Bools  # able to work


def assess(people: People, rng: np.random.Generator) -> Capacity:
    u = rng.random((3, people.count))
    disabled = u[0] < DISABILITY_BASE + DISABILITY_PER_YEAR * people.age
    chance = np.zeros(people.count)
    for lowest, probability in ABLE_BY_AGE:
        chance = np.where(people.age >= lowest, probability, chance)
    return Capacity(
        disabled=disabled,
        extremely_severe=disabled & (u[1] < EXTREMELY_SEVERE_SHARE),
        able=(u[2] < chance) & ~disabled,
    )

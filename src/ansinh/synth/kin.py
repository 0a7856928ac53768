"""Twins among the children, and the truth about look-alikes: namesakes, twins, households."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from ansinh.synth._codes import CHILD, GRANDCHILD
from ansinh.synth.members import People

Floats = npt.NDArray[np.float64]
# Share of deliveries that are twins: about 9 in 1,000 in South-East Asia (Monden, Pison and
# Smits, "Twin Peaks", Human Reproduction 2021: 12 per 1,000 worldwide, lowest in Asia). A
# younger child is born with the one listed before it with the chance that a delivery was one.
TWIN_DELIVERY_SHARE = 0.009


def with_twins(people: People, rng: np.random.Generator) -> People:
    """The same people, some children (and grandchildren) the twin of the one before them."""
    young = (people.role == CHILD) | (people.role == GRANDCHILD)
    previous = np.r_[False, young[1:] & (people.role[1:] == people.role[:-1])]
    eligible = previous & (people.rank > 0)
    # Only a child after the first can be its elder's twin: scaled so that twin deliveries
    # are TWIN_DELIVERY_SHARE of all children's deliveries.
    chance = TWIN_DELIVERY_SHARE * young.sum() / max(int(eligible.sum()), 1)
    twin = eligible & (rng.random(people.count) < chance)
    age: Floats = people.age.copy()
    # A run of twins (triplets) takes the age of its first.
    source = np.where(twin, -1, np.arange(people.count))
    source = np.maximum.accumulate(source)
    age = age[source]
    return People(
        household=people.household,
        role=people.role,
        rank=people.rank,
        male=people.male,
        age=age,
        ethnicity=people.ethnicity,
    )


def kin_truth(registry: pl.DataFrame) -> pl.DataFrame:
    """person_id → true_household_id, namesake_group, twin_group (groups: their first person).

    Namesakes: the same full name, commune and birth year, two or more people. Twins: children
    of one household born on one day. Empty where a person has none.
    """
    year = pl.col("birth_date").str.slice(0, 4)
    young = pl.col("relation").is_in(["child", "grandchild"])

    def group(keys: list[pl.Expr], where: pl.Expr) -> pl.Expr:
        first = pl.col("person_id").min().over(keys)
        return pl.when(where & (pl.len().over(keys) > 1)).then(first).otherwise(pl.lit(""))

    return registry.select(
        pl.col("person_id").alias("true_person_id"),
        pl.col("household_id").alias("true_household_id"),
        group([pl.col("commune_code"), pl.col("full_name"), year], pl.lit(True)).alias(
            "namesake_group"
        ),
        group(
            [pl.col("household_id"), pl.col("birth_date"), young],
            young & (pl.col("birth_date").str.len_chars() == 10),
        ).alias("twin_group"),
    )

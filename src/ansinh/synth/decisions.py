"""The decisions behind a synthetic province's benefits: number, date, first month, injury rate.

Consistent with the people: an over-80 allowance starts no earlier than the 80th birthday, a
child's under-3 allowance after the birth, a war invalid's level from a rate in its table.
Decisions taken before 1 July 2021 (when Ordinance 02/2020 and Decree 20/2021 came into force)
start then: the registry's rules begin there.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from ansinh.synth._random import weighted_choice

RULES_BEGIN = date(2021, 7, 1)
# Injury rates by category: [lowest, highest] of the category's table, and a skew toward the
# lower rates (most war invalids were assessed at 21-60 %).
RATES = {"war_invalid": (21, 100), "sick_soldier": (41, 100), "agent_orange": (21, 100)}
COLUMNS = ["person_id", "programme", "category", "decision_no", "decision_date", "start_month",
           "end_month", "end_reason", "injury_rate", "children"]  # fmt: skip
# The age from which each age-bound category is owed: its decision follows the birthday.
FROM_AGE = {"elderly_80": 80, "elderly_75_poor": 75, "elderly_poor": 60, "child_under3_poor": 0}


def generate(registry: pl.DataFrame, reference: date, rng: np.random.Generator) -> pl.DataFrame:
    """One decision per person and category of the registry's benefit columns."""
    held = pl.concat(
        [
            registry.select(
                "person_id", "birth_date", pl.lit(programme).alias("programme"),
                pl.col(column).alias("category"),
            ).filter(pl.col("category") != "")
            for column, programme in (("meritorious_category", "meritorious"),
                                      ("social_assistance_category", "social_assistance"))
        ]
    )  # fmt: skip
    if held.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
    first = _first_month(held, reference, rng)
    rate = _rates(held["category"], rng)
    office = (
        pl.when(pl.col("programme") == "meritorious")
        .then(pl.lit("QĐ-SNV"))
        .otherwise(pl.lit("QĐ-UBND"))
    )
    return held.with_columns(first.alias("start"), pl.Series("injury_rate", rate)).select(
        "person_id", "programme", "category",
        pl.format("{}/{}", pl.int_range(1, pl.len() + 1), office).alias("decision_no"),
        (pl.col("start").dt.strftime("%Y-%m") + "-10").alias("decision_date"),
        pl.col("start").dt.strftime("%Y-%m").alias("start_month"),
        pl.lit("").alias("end_month"), pl.lit("").alias("end_reason"),
        pl.col("injury_rate").cast(pl.String).fill_null(""),
        pl.lit("").alias("children"),
    )  # fmt: skip


def _first_month(held: pl.DataFrame, reference: date, rng: np.random.Generator) -> pl.Series:
    """A month between the rules' start and the reference month, never before the birthday
    the category needs, nor after the reference month."""
    span = (reference.year - RULES_BEGIN.year) * 12 + reference.month - RULES_BEGIN.month
    offset = pl.Series((rng.random(held.height) ** 2 * (span + 1)).astype(np.int64))
    drawn = pl.lit(RULES_BEGIN).dt.offset_by(pl.format("{}mo", offset))
    born = pl.col("birth_date")
    year = born.str.slice(0, 4).cast(pl.Int32)
    month = pl.when(born.str.len_chars() >= 7).then(born.str.slice(5, 2)).otherwise(pl.lit("01"))
    from_age = pl.col("category").replace_strict(FROM_AGE, default=None, return_dtype=pl.Int32)
    birthday = pl.date(year + from_age, month.cast(pl.Int32), 1)
    start = pl.max_horizontal(drawn, birthday.fill_null(pl.lit(RULES_BEGIN)))
    start = pl.min_horizontal(start, pl.lit(reference.replace(day=1)))
    return held.select(pl.max_horizontal(start, pl.lit(RULES_BEGIN)).alias("start"))["start"]


def _rates(categories: pl.Series, rng: np.random.Generator) -> list[int | None]:
    rates: list[int | None] = [None] * categories.len()
    for category, (low, high) in RATES.items():
        where = np.flatnonzero((categories == category).to_numpy())
        values = np.arange(low, high + 1)
        weights = np.linspace(3.0, 1.0, values.size)
        picked = values[weighted_choice(rng, weights, where.size)]
        for index, value in zip(where, picked, strict=True):
            rates[index] = int(value)
    return rates

"""Questionnaires of the years before: the same households, a little poorer the further back.

Flows between years (exited, fell in, fell back) need results of several years; each earlier
year is drawn from the one after it, so a household's path is continuous: income deflated by
the growth of a year with a shock of its own, each deprivation kept or lifted with a chance.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ansinh.synth._random import stream

GROWTH = 1.08  # rural income per head grew about 8 % a year (FIGURES 002: 47.29 → ~50 million)
SHOCK = 0.22  # σ of a household's log income from one year to the next
KEEP = 0.9  # a deprivation of this year was there the year before
ONSET = 0.05  # a deprivation lifted since: absent this year, present the year before
STEADY = ("dependents",)  # follows from who can work, not redrawn


def earlier_years(surveys: pl.DataFrame, years: int, seed: int) -> pl.DataFrame:
    """`years` earlier questionnaires per household (text columns, as the template), oldest
    last; empty when years is 0."""
    frames = []
    later = surveys
    for back in range(1, years + 1):
        later = _year_before(later, stream(seed, f"history-{back}"))
        frames.append(later)
    return pl.concat(frames) if frames else surveys.clear()


def _year_before(later: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    size = later.height
    income = later["income_per_capita"].cast(pl.Int64).to_numpy()
    shocked = income / GROWTH * np.exp(SHOCK * rng.standard_normal(size))
    columns = {
        "year": (later["year"].cast(pl.Int64) - 1).cast(pl.String),
        "income_per_capita": pl.Series((np.round(shocked / 1000) * 1000).astype(np.int64)),
    }
    for name in later.columns:
        if not name.startswith("deprived_") or name.removeprefix("deprived_") in STEADY:
            continue
        now = later[name].cast(pl.Int8).fill_null(0).to_numpy() == 1
        draw = rng.random(size)
        before = np.where(now, draw < KEEP, draw < ONSET)
        columns[name] = pl.Series(before.astype(np.int8)).cast(pl.String)
    return later.with_columns(
        pl.Series(name, values).cast(pl.String) for name, values in columns.items()
    )

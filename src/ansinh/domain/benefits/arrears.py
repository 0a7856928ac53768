"""Arrears and overpayments: what was due each month against what was paid for it."""

from __future__ import annotations

import polars as pl

KEY = ["person_id", "month", "programme"]


def arrears(due: pl.DataFrame, paid: pl.DataFrame) -> pl.DataFrame:
    """One row per person, month and programme with an amount due or paid: `due`, `paid` and
    `balance` = due - paid (negative: overpaid, to be recovered). `due` has the engine's rows
    (an `amount` per category); `paid` has KEY and `amount_paid`."""
    owed = due.group_by(KEY).agg(pl.col("amount").sum().alias("due"))
    given = paid.group_by(KEY).agg(pl.col("amount_paid").sum().alias("paid"))
    both = owed.join(given, on=KEY, how="full", coalesce=True).with_columns(
        pl.col("due").fill_null(0), pl.col("paid").fill_null(0)
    )
    return (
        both.with_columns((pl.col("due") - pl.col("paid")).alias("balance"))
        .filter((pl.col("due") != 0) | (pl.col("paid") != 0))
        .sort(KEY)
    )

"""A standard's classification over a Polars frame: whole columns at once, no row loop."""

from __future__ import annotations

import polars as pl

from ansinh.domain.poverty.alkire_foster import POOR_TOLERANCE
from ansinh.domain.poverty.sql import deprived_column
from ansinh.domain.poverty.standard import AREAS, PovertyStandard, Rule

RESULT_COLUMNS = ("deprivation_count", "status", "deprived", "mpi_score", "mpi_poor")


def classify_frame(df: pl.DataFrame, standard: PovertyStandard) -> pl.DataFrame:
    """Add deprivation_count, status, deprived ('a;b', '' when none), mpi_score and mpi_poor.

    Needs columns area ('rural'/'urban'), income_per_capita and deprived_<key> (0/1, null
    counts as 0). status is null where area or income is missing or unknown, as in the SQL.
    """
    required = ["area", "income_per_capita", *map(deprived_column, standard.indicators)]
    missing = [name for name in required if name not in df.columns]
    if missing:
        raise ValueError(f"missing columns for {standard.id}: {missing}")
    flags = [
        pl.col(deprived_column(key)).fill_null(0).cast(pl.Int64) for key in standard.indicators
    ]
    count = pl.sum_horizontal(flags)
    score = pl.sum_horizontal(
        [
            flag * standard.indicator_weights[key]
            for flag, key in zip(flags, standard.indicators, strict=True)
        ]
    )
    return df.with_columns(
        count.cast(pl.Int32).alias("deprivation_count"),
        _status(standard, count).alias("status"),
        _deprived(standard).alias("deprived"),
        score.alias("mpi_score"),
        (score >= standard.mpi_k - POOR_TOLERANCE).cast(pl.Int8).alias("mpi_poor"),
    )


def _status(standard: PovertyStandard, count: pl.Expr) -> pl.Expr:
    unknown = (
        ~pl.col("area").is_in(list(AREAS)).fill_null(False) | pl.col("income_per_capita").is_null()
    )
    # Built from the catch-all backwards, so the first rule ends up tested first.
    status = pl.lit(standard.rules[-1].status, dtype=pl.String)
    for rule in reversed(standard.rules[:-1]):
        status = (
            pl.when(_conditions(standard, rule, count)).then(pl.lit(rule.status)).otherwise(status)
        )
    return pl.when(unknown).then(pl.lit(None, dtype=pl.String)).otherwise(status)


def _conditions(standard: PovertyStandard, rule: Rule, count: pl.Expr) -> pl.Expr:
    income = pl.col("income_per_capita")
    parts = []
    if rule.income_at_most is not None:
        parts.append(income <= _line(standard, rule.income_at_most))
    if rule.income_above is not None:
        parts.append(income > _line(standard, rule.income_above))
    if rule.deprivations_at_least is not None:
        parts.append(count >= rule.deprivations_at_least)
    if rule.deprivations_below is not None:
        parts.append(count < rule.deprivations_below)
    return pl.all_horizontal(parts)


def _line(standard: PovertyStandard, name: str) -> pl.Expr:
    values = standard.income_lines[name].values
    return pl.when(pl.col("area") == "urban").then(values["urban"]).otherwise(values["rural"])


def _deprived(standard: PovertyStandard) -> pl.Expr:
    names = [
        pl.when(pl.col(deprived_column(key)) == 1).then(pl.lit(key)) for key in standard.indicators
    ]
    return pl.concat_str(names, separator=";", ignore_nulls=True)

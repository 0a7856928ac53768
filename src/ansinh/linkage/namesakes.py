"""How many people known apart share a record's name, commune and birth year in one file."""

from __future__ import annotations

import polars as pl

KEY_COLUMNS = ["commune_code", "surname_folded", "given_folded", "birth_year"]


def add_namesake_counts(prepared: pl.DataFrame) -> pl.DataFrame:
    """`namesake_key` and `namesakes_here`: the people of that key the file tells apart.

    People are told apart by their full birth dates, day and month taken as an unordered pair
    so that a date typed with day and month swapped is not a second person. A record without a
    full date or ID number that shares its key with two such people cannot be given to either:
    the comparison `namesakes` (comparisons.yaml) says so, where independent comparisons of
    name, year and commune would add up to a match. Null where the key is incomplete.
    """
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in KEY_COLUMNS)
    key = pl.when(complete).then(
        pl.concat_str([pl.col(c).cast(pl.String) for c in KEY_COLUMNS], separator="|")
    )
    low = pl.min_horizontal("birth_month", "birth_day")
    high = pl.max_horizontal("birth_month", "birth_day")
    date = pl.when(pl.col("birth_day").is_not_null()).then(low * 100 + high)
    counted = prepared.with_columns(key.alias("namesake_key"), date.alias("_date"))
    return counted.with_columns(
        pl.when(pl.col("namesake_key").is_not_null())
        .then(
            pl.col("_date").n_unique().over("namesake_key")
            - pl.col("_date").is_null().any().over("namesake_key").cast(pl.UInt32)
        )
        .cast(pl.Int32)
        .alias("namesakes_here")
    ).drop("_date")

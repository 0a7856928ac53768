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
    `namesake_date` and `namesakes_open`: see `_open_namesakes`.
    """
    complete = pl.all_horizontal(pl.col(c).is_not_null() for c in KEY_COLUMNS)
    key = pl.when(complete).then(
        pl.concat_str([pl.col(c).cast(pl.String) for c in KEY_COLUMNS], separator="|")
    )
    low = pl.min_horizontal("birth_month", "birth_day")
    high = pl.max_horizontal("birth_month", "birth_day")
    date = pl.when(pl.col("birth_day").is_not_null() & complete).then(
        (low * 100 + high).cast(pl.String).str.zfill(4)
    )
    counted = prepared.with_columns(key.alias("namesake_key"), date.alias("namesake_date"))
    counted = counted.with_columns(
        pl.when(pl.col("namesake_key").is_not_null())
        .then(
            pl.col("namesake_date").n_unique().over("namesake_key")
            - pl.col("namesake_date").is_null().any().over("namesake_key").cast(pl.UInt32)
        )
        .cast(pl.Int32)
        .alias("namesakes_here")
    )
    return _open_namesakes(counted)


def _open_namesakes(counted: pl.DataFrame) -> pl.DataFrame:
    """`namesakes_open`: for a record without a full date whose key has namesakes, the
    namesakes it can still be, as "|0314|1002|" (their dates), and `namesakes_open_count`;
    null otherwise.

    A record whose ID number a dated record of its key also carries is that record's person.
    Otherwise: a benefit list holds a person once (a second record of one person on one list
    is what inspection looks for, and is rare), so a namesake whose full date is already on
    the record's own list is most likely not the record's person. When one namesake only is
    left, the record is that person's as much as a record whose name has no namesake at all;
    when none is left, nothing is said (a repeat on the list, or a person not told apart).
    Needs the `source` column; without it every namesake stays open, as before.
    """
    dated = counted.filter(pl.col("namesake_date").is_not_null())
    everyone = dated.group_by("namesake_key").agg(pl.col("namesake_date").unique().alias("_all"))
    on_list = (
        dated.filter(pl.col("source").is_not_null())
        .group_by("namesake_key", "source")
        .agg(pl.col("namesake_date").unique().alias("_taken"))
    )
    undated = (
        pl.col("namesake_key").is_not_null()
        & pl.col("namesake_date").is_null()
        & pl.col("source").is_not_null()
        & (pl.col("namesakes_here") >= 2)
    )
    by_id = (
        dated.filter(pl.col("citizen_id").is_not_null())
        .group_by("namesake_key", "citizen_id")
        .agg(pl.col("namesake_date").unique().sort().alias("_known"))
    )
    known = (
        counted.filter(undated & pl.col("citizen_id").is_not_null())
        .select("unique_id", "namesake_key", "citizen_id")
        .join(by_id, on=["namesake_key", "citizen_id"])
        .select(
            "unique_id",
            ("|" + pl.col("_known").list.join("|") + "|").alias("_known_text"),
            pl.col("_known").list.len().cast(pl.Int32).alias("_known_count"),
        )
    )
    wanted = (
        counted.filter(undated)
        .select("namesake_key", "source")
        .unique()
        .join(everyone, on="namesake_key")
        .join(on_list, on=["namesake_key", "source"], how="left")
        .select(
            "namesake_key",
            "source",
            pl.col("_all")
            .list.set_difference(pl.col("_taken").fill_null([]))
            .list.sort()
            .alias("_open"),
        )
        .filter(pl.col("_open").list.len() > 0)
        .select(
            "namesake_key",
            "source",
            ("|" + pl.col("_open").list.join("|") + "|").alias("_open_text"),
            pl.col("_open").list.len().cast(pl.Int32).alias("_open_count"),
        )
    )
    joined = counted.join(
        wanted, on=["namesake_key", "source"], how="left", maintain_order="left"
    ).join(known, on="unique_id", how="left", maintain_order="left")
    return joined.with_columns(
        pl.when(undated).then(pl.coalesce("_known_text", "_open_text")).alias("namesakes_open"),
        pl.when(undated)
        .then(pl.coalesce("_known_count", "_open_count"))
        .alias("namesakes_open_count"),
    ).drop("_open_text", "_open_count", "_known_text", "_known_count")

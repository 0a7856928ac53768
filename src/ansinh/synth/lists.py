"""Benefit lists drawn from the registry, with the typing errors real lists have, and the truth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ansinh.domain.people import PEOPLE_COLUMNS
from ansinh.synth._data import load

TRUTH_COLUMNS = ("person_id", "source", "true_person_id", "repeat", "errors")
# Letters a hurried typist hits instead of the right one (mostly plain ASCII: Telex input
# drops or misplaces the tone keys).
_LETTERS = list("aeinhtgcuomđ")
_OLD_ID_MULTIPLIER = 48_271  # coprime with 9 × 10^8: distinct people get distinct old numbers


@dataclass(frozen=True)
class Lists:
    records: dict[str, pl.DataFrame]  # list name → records in the people contract
    truth: pl.DataFrame  # list record → registry person, and what was done to it


def draw(people: pl.DataFrame, rng: np.random.Generator) -> Lists:
    """`people` is the registry's households file; one list per benefit programme."""
    config = load("lists")
    records: dict[str, pl.DataFrame] = {}
    for name, spec in config["lists"].items():
        holders = people.filter(pl.col(spec["benefit"]) != "").select(PEOPLE_COLUMNS)
        records[name] = _list(holders, name, str(spec["prefix"]), config, rng)
    truth = pl.concat([r.select(TRUTH_COLUMNS) for r in records.values()])
    return Lists({k: v.select(PEOPLE_COLUMNS) for k, v in records.items()}, truth)


def _list(
    holders: pl.DataFrame, name: str, prefix: str, config: dict[str, Any], rng: np.random.Generator
) -> pl.DataFrame:
    """Every holder once, a few twice (typed again), in commune order, then the errors."""
    twice = holders.filter(pl.Series(rng.random(holders.height) < config["duplicate_share"]))
    rows = pl.concat(
        [holders.with_columns(pl.lit(False).alias("repeat")), twice.with_columns(repeat=True)]
    )
    # Communes send their lists in one by one; within a commune the order is the officer's.
    rows = rows.with_columns(pl.Series("_order", rng.random(rows.height))).sort(
        "commune_code", "_order"
    )
    number = (pl.int_range(pl.len()) + 1).cast(pl.String).str.zfill(7)
    rows = rows.with_columns(
        pl.col("person_id").alias("true_person_id"),
        (pl.lit(prefix) + number).alias("person_id"),
        pl.lit(name).alias("source"),
        # Lists rarely carry the registry's household id.
        pl.lit("").alias("household_id"),
    )
    return _with_errors(rows, config["errors"], rng)


def _with_errors(
    rows: pl.DataFrame, shares: dict[str, float], rng: np.random.Generator
) -> pl.DataFrame:
    """Each kind of error hits a share of the records, independently; `errors` names them."""
    n = rows.height
    hits = {kind: pl.Series(kind, rng.random(n) < float(share)) for kind, share in shares.items()}
    name, date, digits = pl.col("full_name"), pl.col("birth_date"), pl.col("citizen_id")
    rows = rows.with_columns(
        (1 + (pl.Series(rng.random(n)) * (name.str.len_chars() - 1)).cast(pl.Int64)).alias("_at"),
        pl.Series("_letter", np.array(_LETTERS)[rng.integers(0, len(_LETTERS), n)]),
    )
    at = pl.col("_at")
    applies = {
        # A typo lands inside a word: not on a space, not on a word's first letter.
        "typo": (name.str.slice(at, 1) != " ")
        & (name.str.slice(at - 1, 1) != " ")
        & (name.str.slice(at, 1) != pl.col("_letter")),
        "dropped_middle": name.str.count_matches(" ") >= 2,
        "no_diacritics": ~name.str.contains(r"^[\x00-\x7F]*$"),
        "upper_case": pl.lit(True),
        "year_only": date.str.len_chars() > 4,
        "day_month_swapped": (date.str.len_chars() == 10)
        & (date.str.slice(8, 2).cast(pl.Int32, strict=False) <= 12)
        & (date.str.slice(8, 2) != date.str.slice(5, 2)),
        "missing_id": digits != "",
        # The 9-digit card went to people aged 14 or more before the 12-digit one (2016).
        "old_id": (digits != "") & (date.str.slice(0, 4).cast(pl.Int32, strict=False) <= 2001),
        "transposed_id": (digits.str.len_chars() == 12)
        & (digits.str.slice(10, 1) != digits.str.slice(11, 1)),
    }
    frame = rows.with_columns(
        (pl.lit(hits[kind]) & applies[kind]).alias(f"_{kind}") for kind in shares
    )
    # One ID error at most: a missing number cannot also be mistyped.
    frame = frame.with_columns(
        pl.col("_old_id") & ~pl.col("_missing_id"),
        pl.col("_transposed_id") & ~pl.col("_missing_id") & ~pl.col("_old_id"),
        pl.col("_day_month_swapped") & ~pl.col("_year_only"),
    )
    frame = _apply(frame)
    errors = pl.concat_str(
        [pl.when(pl.col(f"_{kind}")).then(pl.lit(kind)) for kind in shares],
        separator=";",
        ignore_nulls=True,
    )
    columns = [f"_{kind}" for kind in shares]
    return frame.with_columns(errors.alias("errors")).drop(*columns, "_at", "_letter")


def _apply(frame: pl.DataFrame) -> pl.DataFrame:
    """The marked errors, in the order a list is made: typed, abridged, copied, exported."""
    name, date, digits = pl.col("full_name"), pl.col("birth_date"), pl.col("citizen_id")
    words = name.str.split(" ")
    at = pl.col("_at")
    typo = pl.concat_str(name.str.slice(0, at), pl.col("_letter"), name.str.slice(at + 1))
    swapped = pl.concat_str(
        date.str.slice(0, 5), date.str.slice(8, 2), pl.lit("-"), date.str.slice(5, 2)
    )
    transposed = pl.concat_str(
        digits.str.slice(0, 10), digits.str.slice(11, 1), digits.str.slice(10, 1)
    )
    # The old identity card had its own number; the same person carries it on every list.
    true_number = pl.col("true_person_id").str.slice(1).cast(pl.Int64)
    old_id = (true_number * _OLD_ID_MULTIPLIER % 900_000_000 + 100_000_000).cast(pl.String)

    def when(kind: str, changed: pl.Expr, original: pl.Expr) -> pl.Expr:
        return pl.when(pl.col(f"_{kind}")).then(changed).otherwise(original)

    return (
        frame.with_columns(when("typo", typo, name).alias("full_name"))
        .with_columns(
            when(
                "dropped_middle",
                pl.concat_str(words.list.first(), words.list.last(), separator=" "),
                name,
            ).alias("full_name")
        )
        .pipe(_strip_marks)
        .with_columns(
            when("upper_case", name.str.to_uppercase(), name).alias("full_name"),
            when("year_only", date.str.slice(0, 4), when("day_month_swapped", swapped, date)).alias(
                "birth_date"
            ),
            when(
                "missing_id",
                pl.lit(""),
                when("old_id", old_id, when("transposed_id", transposed, digits)),
            ).alias("citizen_id"),
        )
    )


def _strip_marks(frame: pl.DataFrame) -> pl.DataFrame:
    """Names typed without diacritics where marked; each distinct name is stripped once."""
    name = pl.col("full_name")
    plain = (
        frame.filter(pl.col("_no_diacritics"))
        .select(name.unique())
        .with_columns(_plain(name).alias("_plain"))
    )
    joined = frame.join(plain, on="full_name", how="left", maintain_order="left")
    return joined.with_columns(
        pl.when(pl.col("_no_diacritics")).then(pl.col("_plain")).otherwise(name).alias("full_name")
    ).drop("_plain")


def _plain(name: pl.Expr) -> pl.Expr:
    """The name typed without diacritics: đ → d and every combining mark dropped."""
    folded = name.str.replace_all("đ", "d", literal=True).str.replace_all("Đ", "D", literal=True)
    return folded.str.normalize("NFD").str.replace_all(r"\p{Mn}", "").str.normalize("NFC")

"""People records turned into the columns the comparisons and blocking rules read."""

from __future__ import annotations

import hashlib

import polars as pl

from ansinh.domain.names import fold_expr
from ansinh.domain.people import PEOPLE_COLUMNS
from ansinh.linkage.names import name_columns

# What a record is, for the fingerprint that tells whether it changed since a decision.
FINGERPRINT_COLUMNS = ["full_name", "birth_date", "sex", "citizen_id", "commune_code", "address"]
_SEX = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "female": "F"}


def prepare_people(
    people: pl.DataFrame, legacy_communes: dict[str, str] | None = None
) -> pl.DataFrame:
    """One row per person with `unique_id` and the linkage columns; the input is not changed.

    `legacy_communes` maps commune codes from before the 2025 reorganisation to today's, so
    that a record kept under an old code still meets its namesake under the new one.
    """
    frame = people.with_columns(
        pl.col(c).cast(pl.String).fill_null("").str.strip_chars()
        for c in PEOPLE_COLUMNS
        if c in people.columns
    ).with_columns(pl.lit("").alias(c) for c in PEOPLE_COLUMNS if c not in people.columns)
    code = pl.col("commune_code")
    # A spreadsheet drops a code's leading zero (04465 -> 4465): padded, as the import does.
    code = pl.when(code.str.contains(r"^\d{1,4}$")).then(code.str.zfill(5)).otherwise(code)
    commune = _blank_null(code)
    if legacy_communes:
        commune = commune.replace(legacy_communes)
    address = (
        _blank_null(fold_expr(pl.col("address")).str.replace_all(r"[^a-z0-9 ]", " "))
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    # Names and addresses repeat (a million records hold a few hundred thousand names and a
    # few thousand addresses): each distinct one is normalised once and joined back.
    names = _each_once(frame, "full_name", name_columns(pl.col("full_name")))
    addresses = _each_once(frame, "address", [address.alias("address_folded")])
    return (
        frame.join(names, on="full_name", how="left", maintain_order="left")
        .join(addresses, on="address", how="left", maintain_order="left")
        .select(
            pl.col("person_id").alias("unique_id"),
            _blank_null(pl.col("source")).alias("source"),
            _blank_null(pl.col("household_id")).alias("household_id"),
            *[pl.col(c) for c in names.columns[1:]],
            *_birth_columns(pl.col("birth_date")),
            fold_expr(pl.col("sex")).replace_strict(_SEX, default=None).alias("sex"),
            _citizen_id(pl.col("citizen_id")).alias("citizen_id"),
            commune.alias("commune_code"),
            pl.col("address_folded"),
        )
        .with_columns(
            pl.concat_str(["commune_code", "address_folded"], separator="|").alias("place_key"),
            *_blocking_columns(),
        )
        .with_columns(
            pl.concat_str(["commune_code", "address_start"], separator="|").alias("place_start_key")
        )
    )


def _each_once(frame: pl.DataFrame, column: str, derived: list[pl.Expr]) -> pl.DataFrame:
    """`column`'s distinct values with the columns derived from them."""
    return frame.select(pl.col(column).unique()).with_columns(derived)


def _blocking_columns() -> list[pl.Expr]:
    """Keys only blocking rules read: they meet records whose other keys all disagree.

    `address_start`: the first two words of the address (house number and street, or "thon
    3"); `citizen_id_head`: the ID without its last three digits, where most typing errors fall.
    """
    citizen_id = pl.col("citizen_id")
    name_key = pl.concat_str(["commune_code", "surname_folded", "given_folded"], separator="|")
    return [
        name_key.alias("name_key"),
        pl.when(pl.col("birth_year").is_null()).then(name_key).alias("undated_name_key"),
        pl.col("address_folded").str.extract(r"^(\S+ \S+)").alias("address_start"),
        citizen_id.str.slice(0, citizen_id.str.len_chars() - 3).alias("citizen_id_head"),
    ]


def _birth_columns(text: pl.Expr) -> list[pl.Expr]:
    """Full date (when complete), year, month and day, each null when not given."""
    parts = text.str.extract_groups(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
    year = parts.struct.field("1").cast(pl.Int32, strict=False)
    month = parts.struct.field("2").cast(pl.Int32, strict=False)
    day = parts.struct.field("3").cast(pl.Int32, strict=False)
    full = pl.when(day.is_not_null()).then(
        pl.format(
            "{}-{}-{}", year, month.cast(pl.String).str.zfill(2), day.cast(pl.String).str.zfill(2)
        )
    )
    return [
        full.alias("birth_date"),
        year.alias("birth_year"),
        month.alias("birth_month"),
        day.alias("birth_day"),
    ]


def _citizen_id(text: pl.Expr) -> pl.Expr:
    """Digits only; a 12-digit citizen ID or a 9-digit old ID, anything else unknown."""
    digits = text.str.replace_all(r"\D", "")
    return pl.when(digits.str.len_chars().is_in([9, 12])).then(digits)


def _blank_null(column: pl.Expr) -> pl.Expr:
    return pl.when(column.str.len_chars() > 0).then(column)


def fingerprints(people: pl.DataFrame) -> pl.DataFrame:
    """`person_id` and a stable hash of what the record says, for the few records in question.

    A decision on a pair holds while both records still hash the same; SHA-256 (not Polars'
    hash) so that the value survives library upgrades.
    """
    frame = people.with_columns(
        pl.col(c).cast(pl.String).fill_null("") if c in people.columns else pl.lit("").alias(c)
        for c in FINGERPRINT_COLUMNS
    )
    joined = pl.concat_str(
        [
            pl.col(c).str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars()
            for c in FINGERPRINT_COLUMNS
        ],
        separator="\x1f",
    )
    texts = frame.select(joined.alias("text"))["text"].to_list()
    digests = [hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] for text in texts]
    return pl.DataFrame(
        {"person_id": frame["person_id"].cast(pl.String), "fingerprint": digests},
        schema={"person_id": pl.String, "fingerprint": pl.String},
    )

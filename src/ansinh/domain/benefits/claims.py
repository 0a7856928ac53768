"""Checking claims as written by people (text columns), and turning them into typed claims."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.domain.benefits import tables
from ansinh.domain.benefits.entitlements import CLAIM_SCHEMA, months_of
from ansinh.domain.benefits.rules import Rules
from ansinh.problems import ROW, where, where_explained

REQUIRED = ["person_id", "programme", "category", "start_month"]
OPTIONAL = ["birth_date", "end_month", "injury_rate", "children"]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
BIRTH = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def month_of(text: pl.Expr) -> pl.Expr:
    """`YYYY-MM` as the first day of the month; null when malformed."""
    return pl.when(text.str.contains(MONTH)).then((text + "-01").str.to_date("%Y-%m-%d"))


def check_claims(
    frame: pl.DataFrame, rules: Rules, first: date | None = None, last: date | None = None
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The typed claims (CLAIM_SCHEMA and `_row`) and the problems of the text rows in `frame`.

    With a window [first, last], a claim whose category's ages the person never has in it is a
    problem too (a child-under-3 category for a five-year-old).
    """
    frame = frame.with_columns(pl.lit("").alias(c) for c in OPTIONAL if c not in frame.columns)
    found = [
        where(frame, pl.col(c) == "", c, "Thiếu giá trị bắt buộc", "Required value missing")
        for c in REQUIRED
    ]
    claims = _typed(frame)
    found += _codes(claims, rules)
    found += _months(claims)
    found += _numbers(claims)
    found += _rates(claims, rules)
    found.append(_needs_birth(claims, rules))
    found.append(
        where(
            claims,
            pl.struct("person_id", "programme", "category", "start").is_duplicated(),
            "category",
            "Cùng người, diện và tháng bắt đầu xuất hiện hai lần",
            "The same person, category and first month appear twice",
        )
    )
    if first is not None and last is not None and not any(p.height for p in found):
        found.append(age_misfits(claims, rules, first, last))
    return claims.select(ROW, *CLAIM_SCHEMA), found


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    birth = pl.col("birth_date")
    shaped = birth.str.contains(BIRTH)
    frame = frame.with_columns(
        pl.col("injury_rate").alias("_injury_rate_text"),
        pl.col("children").alias("_children_text"),
        pl.col("birth_date").alias("_birth_text"),
    )
    return frame.with_columns(
        pl.when(shaped)
        .then(birth.str.slice(0, 4).cast(pl.Int32, strict=False))
        .alias("birth_year"),
        pl.when(shaped)
        .then(
            pl.when(birth.str.len_chars() >= 7).then(birth.str.slice(5, 2)).otherwise(pl.lit("1"))
        )
        .cast(pl.Int32, strict=False)
        .alias("birth_month"),
        month_of(pl.col("start_month")).alias("start"),
        month_of(pl.col("end_month")).alias("end"),
        pl.col("injury_rate").cast(pl.Int32, strict=False),
        pl.col("children").cast(pl.Int32, strict=False),
    )


def _codes(claims: pl.DataFrame, rules: Rules) -> list[pl.DataFrame]:
    known = tables.category_order(rules).select("programme", "category", pl.lit(True).alias("_k"))
    with_known = claims.join(known, on=["programme", "category"], how="left")
    programmes = list(rules.programmes)
    return [
        where_explained(
            claims,
            (pl.col("programme") != "") & ~pl.col("programme").is_in(programmes),
            "programme",
            pl.format("Chương trình không có: '{}'", pl.col("programme")),
            pl.format("Unknown programme: '{}'", pl.col("programme")),
        ),
        where_explained(
            with_known,
            pl.col("programme").is_in(programmes)
            & (pl.col("category") != "")
            & pl.col("_k").is_null(),
            "category",
            pl.format(
                "Diện '{}' không thuộc chương trình '{}'", pl.col("category"), pl.col("programme")
            ),
            pl.format(
                "Category '{}' is not in programme '{}'", pl.col("category"), pl.col("programme")
            ),
        ),
    ]


def _months(claims: pl.DataFrame) -> list[pl.DataFrame]:
    return [
        where_explained(
            claims,
            (pl.col(text) != "") & pl.col(typed).is_null(),
            text,
            pl.format("Tháng không hợp lệ (YYYY-MM): '{}'", pl.col(text)),
            pl.format("Invalid month (YYYY-MM): '{}'", pl.col(text)),
        )
        for text, typed in (("start_month", "start"), ("end_month", "end"))
    ] + [
        where(
            claims,
            pl.col("end") < pl.col("start"),
            "end_month",
            "Tháng kết thúc trước tháng bắt đầu",
            "The last month is before the first month",
        ),
        where_explained(
            claims,
            (pl.col("_birth_text") != "")
            & (pl.col("birth_year").is_null() | ~pl.col("birth_month").is_between(1, 12)),
            "birth_date",
            pl.format(
                "Ngày sinh không hợp lệ (YYYY-MM-DD, YYYY-MM hoặc YYYY): '{}'",
                pl.col("_birth_text"),
            ),
            pl.format(
                "Invalid birth date (YYYY-MM-DD, YYYY-MM or YYYY): '{}'", pl.col("_birth_text")
            ),
        ),
    ]


def _numbers(claims: pl.DataFrame) -> list[pl.DataFrame]:
    return [
        where(
            claims,
            (pl.col(f"_{c}_text") != "") & (pl.col(c).is_null() | ~pl.col(c).is_between(0, upper)),
            c,
            f"Phải là số nguyên từ 0 đến {upper}",
            f"Must be a whole number from 0 to {upper}",
        )
        for c, upper in (("injury_rate", 100), ("children", 20))
    ]


def _rates(claims: pl.DataFrame, rules: Rules) -> list[pl.DataFrame]:
    """A category whose level depends on the injury rate needs a rate its table has."""
    rated = {
        (p.code, c.code)
        for p in rules.programmes.values()
        for c in p.categories
        if c.level_by == "injury_rate"
    }
    levels = tables.level_frame(rules).filter(pl.col("injury_rate").is_not_null())
    known = levels.select("programme", "category", "injury_rate").unique()
    needs = pl.struct("programme", "category").is_in(
        [{"programme": p, "category": c} for p, c in rated]
    )
    tabled = claims.join(
        known.with_columns(pl.lit(True).alias("_t")),
        on=["programme", "category", "injury_rate"],
        how="left",
    )
    return [
        where(
            claims,
            needs & pl.col("injury_rate").is_null(),
            "injury_rate",
            "Diện này cần tỷ lệ tổn thương cơ thể (%)",
            "This category's level depends on the injury rate (%): give it",
        ),
        where_explained(
            tabled,
            needs & pl.col("injury_rate").is_not_null() & pl.col("_t").is_null(),
            "injury_rate",
            pl.format(
                "Không có mức cho tỷ lệ {}% của diện '{}'",
                pl.col("injury_rate"),
                pl.col("category"),
            ),
            pl.format(
                "No level for an injury rate of {}% in category '{}'",
                pl.col("injury_rate"),
                pl.col("category"),
            ),
        ),
    ]


def _needs_birth(claims: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    aged = (
        tables.level_frame(rules)
        .filter(
            pl.any_horizontal(
                pl.col(c).is_not_null()
                for c in ("age_from", "age_below", "eligible_from", "eligible_below")
            )
        )
        .select("programme", "category")
        .unique()
        .with_columns(pl.lit(True).alias("_aged"))
    )
    joined = claims.join(aged, on=["programme", "category"], how="left")
    return where(
        joined,
        pl.col("_aged").fill_null(False) & pl.col("birth_year").is_null(),
        "birth_date",
        "Diện này phụ thuộc tuổi: cần ngày sinh",
        "This category depends on age: give the birth date",
    )


def age_misfits(claims: pl.DataFrame, rules: Rules, first: date, last: date) -> pl.DataFrame:
    """Claims whose person never has the category's ages in any month they are claimed for."""
    bounds = (
        tables.level_frame(rules)
        .select("programme", "category", "eligible_from", "eligible_below")
        .unique(["programme", "category"])
    )
    months = months_of(claims, rules, first, last).join(bounds, on=["programme", "category"])
    fits = (pl.col("eligible_from").is_null() | (pl.col("age") >= pl.col("eligible_from"))) & (
        pl.col("eligible_below").is_null() | (pl.col("age") < pl.col("eligible_below"))
    )
    never = (
        months.group_by(ROW)
        .agg(
            fits.any().alias("_fits"),
            pl.col("age").min().alias("_low"),
            pl.col("age").max().alias("_high"),
            pl.col("category").first(),
            pl.col("eligible_from").first(),
            pl.col("eligible_below").first(),
        )
        .filter(~pl.col("_fits"))
    )
    ages = pl.format("{}–{}", pl.col("_low"), pl.col("_high"))
    return where_explained(
        never,
        pl.lit(True),
        "birth_date",
        pl.format("Tuổi {} không hợp với diện '{}' ({})", ages, pl.col("category"), _bounds("vi")),
        pl.format("Ages {} do not fit category '{}' ({})", ages, pl.col("category"), _bounds("en")),
    )


def _bounds(lang: str) -> pl.Expr:
    """The category's ages in words: "từ 75 đến dưới 80 tuổi" / "aged 75 to under 80"."""
    low, below = pl.col("eligible_from"), pl.col("eligible_below")
    words = {
        "vi": ("từ {} đến dưới {} tuổi", "từ {} tuổi", "dưới {} tuổi"),
        "en": ("aged {} to under {}", "aged {} or over", "under {}"),
    }[lang]
    return (
        pl.when(low.is_not_null() & below.is_not_null())
        .then(pl.format(words[0], low, below))
        .when(low.is_not_null())
        .then(pl.format(words[1], low))
        .otherwise(pl.format(words[2], below))
    )

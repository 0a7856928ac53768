"""What each person is owed each month: the level in force that month, the base, the rules of
"highest only" and "each category", computed on whole columns."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.domain.benefits import tables
from ansinh.domain.benefits.rules import Rules

# The columns of a claim: one person's category of one programme over a range of months.
CLAIM_SCHEMA = {
    "person_id": pl.String,
    "birth_year": pl.Int32,
    "birth_month": pl.Int32,  # 1 when only the year is known, as a partial date is read
    "programme": pl.String,
    "category": pl.String,
    "start": pl.Date,  # first day of the first month owed
    "end": pl.Date,  # first day of the last month owed; null while it runs
    "injury_rate": pl.Int32,
    "children": pl.Int32,
}
DUE_COLUMNS = [
    "person_id",
    "month",
    "programme",
    "category",
    "base",
    "coefficient",
    "amount",
    "base_provisional",
]


def entitlements(
    claims: pl.DataFrame, rules: Rules, first: date, last: date, keep: tuple[str, ...] = ()
) -> pl.DataFrame:
    """One row per person, month in [first, last], programme and category actually paid.

    `claims` has CLAIM_SCHEMA's columns and the `keep` columns, carried to each row.
    """
    months = months_of(claims, rules, first, last)
    months = _with_attached(months, rules)
    due = _levels(months, rules)
    due = _excluded(due, rules)
    due = _highest_only(due, rules)
    due = _highest_between_programmes(due, rules)
    return due.select(*DUE_COLUMNS, *keep).sort("person_id", "month", "programme", "category")


def months_of(claims: pl.DataFrame, rules: Rules, first: date, last: date) -> pl.DataFrame:
    """Each claim's months within [first, last]; a programme paid once: its first month only."""
    once = [p.code for p in rules.programmes.values() if p.periodicity == "once"]
    start = pl.max_horizontal(pl.col("start"), pl.lit(first))
    end = pl.min_horizontal(
        pl.when(pl.col("programme").is_in(once)).then(pl.col("start")).otherwise(pl.col("end")),
        pl.lit(last),
    )
    return (
        claims.with_columns(pl.date_ranges(start, end, "1mo").alias("month"))
        .explode("month")
        .filter(pl.col("month").is_not_null())
        .with_columns(_age().alias("age"))
    )


def _age() -> pl.Expr:
    """Whole years reached by the end of the month: a level that depends on age changes in the
    month of the birthday (Decree 20/2021 Art. 8: from the month the person qualifies)."""
    month = pl.col("month")
    return (
        month.dt.year().cast(pl.Int32)
        - pl.col("birth_year")
        - (pl.col("birth_month") > month.dt.month().cast(pl.Int32)).cast(pl.Int32)
    )


def _with_attached(months: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Add the categories paid with another automatically (a supplement from 81 %)."""
    attached = tables.attachment_frame(rules)
    if attached.is_empty():
        return months
    extra = (
        months.join(attached, on=["programme", "category"])
        .filter(pl.col("from_rate").is_null() | (pl.col("injury_rate") >= pl.col("from_rate")))
        .with_columns(pl.col("attached").alias("category"))
        .drop("attached", "from_rate")
    )
    # A category also claimed on its own is not added twice; the few added rows are checked
    # against the claims, not every claim against every other.
    keys = ["person_id", "programme", "category", "month"]
    extra = extra.unique(keys).join(months.select(keys), on=keys, how="anti")
    return pl.concat([months, extra])


def _levels(months: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """The first level row that fits each month (its period, age and injury rate), the base in
    force that month, and the amount: the row's own, or the base times the coefficient."""
    levels = tables.level_frame(rules).rename({"injury_rate": "level_rate"})
    rated = levels.filter(pl.col("level_rate").is_not_null())
    plain = levels.filter(pl.col("level_rate").is_null()).drop("level_rate")
    fits = (
        (pl.col("month") >= pl.col("valid_from"))
        & (pl.col("month") < pl.col("valid_to"))
        & _within(pl.col("age"), "age_from", "age_below")
        & _within(pl.col("age"), "eligible_from", "eligible_below")
    )
    months = months.with_row_index("_id")
    matched = pl.concat(
        [
            months.join(
                rated,
                left_on=["programme", "category", "injury_rate"],
                right_on=["programme", "category", "level_rate"],
            ),
            months.join(plain, on=["programme", "category"]),
        ],
        how="diagonal_relaxed",
    ).filter(fits)
    # The first fitting row of each claimed month, found by the month's number: a unique on
    # four text columns took a third of the engine's time at a million claims.
    first = matched.sort("_id", "row").unique("_id", keep="first", maintain_order=True)
    with_base = first.sort("month").join_asof(
        tables.base_frame(rules),
        left_on="month",
        right_on="base_from",
        by="programme",
        check_sortedness=False,  # both sorted by date; Polars cannot check it within groups
    )
    return with_base.with_columns(_amount().alias("amount")).with_columns(
        pl.coalesce(pl.col("coefficient"), (pl.col("amount") / pl.col("base")).round(4)).alias(
            "coefficient"
        )
    )


def _within(value: pl.Expr, low: str, below: str) -> pl.Expr:
    """`value` in [low, below) where each bound is set; a null value fits no set bound."""
    return (pl.col(low).is_null() | (value >= pl.col(low))) & (
        pl.col(below).is_null() | (value < pl.col(below))
    )


def _amount() -> pl.Expr:
    """Whole VND, half up: the row's amount, or base x coefficient (x children if per child)."""
    times = pl.when(pl.col("per_child")).then(pl.col("children").fill_null(1)).otherwise(1)
    from_base = (pl.col("base") * pl.col("coefficient") * times + 0.5).floor()
    return pl.coalesce(pl.col("level_amount") * times, from_base).cast(pl.Int64)


def _excluded(due: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Drop a category whose holder also holds a category that excludes it."""
    exclusions = tables.exclusion_frame(rules)
    if exclusions.is_empty():
        return due
    held = due.select("person_id", "month", "programme", pl.col("category").alias("by"))
    hit = exclusions.join(held, on=["programme", "by"]).select(
        "person_id", "month", "programme", "category"
    )
    return due.join(hit.unique(), on=["person_id", "month", "programme", "category"], how="anti")


def _highest_only(due: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Within each group of "highest only", keep the highest amount (the first category on a
    tie); categories in no group are all paid."""
    grouped = due.join(tables.group_frame(rules), on=["programme", "category"], how="left")
    ranked = grouped.join(tables.category_order(rules), on=["programme", "category"], how="left")
    in_group = pl.col("group").is_not_null()
    best = (
        ranked.filter(in_group)
        .sort(["amount", "order"], descending=[True, False])
        .unique(["person_id", "month", "programme", "group"], keep="first")
    )
    return pl.concat([ranked.filter(~in_group), best]).drop("group", "order")


def _highest_between_programmes(due: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Where a programme is paid only if it is the higher of it and another (a social pension
    and social assistance), drop the lower programme's rows for that month; a tie keeps the
    other programme, the one the person already had."""
    for programme in rules.programmes.values():
        for rival in programme.highest_with:
            totals = (
                due.filter(pl.col("programme").is_in([programme.code, rival]))
                .group_by("person_id", "month", "programme")
                .agg(pl.col("amount").sum())
            )
            wide = totals.pivot("programme", index=["person_id", "month"], values="amount")
            if programme.code not in wide.columns or rival not in wide.columns:
                continue
            loses = wide.filter(pl.col(programme.code) <= pl.col(rival)).select(
                "person_id", "month", pl.lit(programme.code).alias("programme")
            )
            wins = wide.filter(pl.col(programme.code) > pl.col(rival)).select(
                "person_id", "month", pl.lit(rival).alias("programme")
            )
            due = due.join(
                pl.concat([loses, wins]), on=["person_id", "month", "programme"], how="anti"
            )
    return due


def claims_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """Claims from literal rows (tests, one-off uses): the CLAIM_SCHEMA columns, others kept."""
    frame = pl.DataFrame(rows)
    return frame.with_columns(
        (pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c))
        for c, t in CLAIM_SCHEMA.items()
    )

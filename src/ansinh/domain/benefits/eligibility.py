"""Who looks entitled from the registry alone, and who is paid without qualifying any more.

Only categories whose conditions the registry holds (age, the household's poverty status, the
disability level, living in an extremely disadvantaged commune or village) are checked; a
pension is not recorded, so "looks entitled" means "entitled unless they draw a pension".
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ansinh.domain.benefits.rules import Rules

PEOPLE_SCHEMA = {
    "person_id": pl.String,
    "commune_code": pl.String,
    "age": pl.Int32,
    "status": pl.String,  # the household's latest review status, or null
    "disability": pl.String,
    "disadvantaged": pl.Boolean,
}
# Why a person paid in a category no longer meets it: the first condition that fails.
REASONS = ("age", "household_status", "disability", "area")


def conditions(rules: Rules) -> pl.DataFrame:
    """programme, category and the checkable conditions of each checkable category."""
    rows = [
        (
            p.code,
            c.code,
            e.age_from,
            e.age_below,
            list(e.household_status),
            e.disability,
            e.disadvantaged_area,
            _group(rules, p.code),
        )
        for p in rules.programmes.values()
        for c in p.categories
        if (e := c.eligibility).checkable
    ]
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "programme": pl.String,
        "category": pl.String,
        "age_from": pl.Int32,
        "age_below": pl.Int32,
        "statuses": pl.List(pl.String),
        "needs_disability": pl.String,
        "needs_area": pl.Boolean,
        "group": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _group(rules: Rules, programme: str) -> str:
    """Programmes of which only the higher is paid cover for each other."""
    rivals = {programme} | set(rules.programmes[programme].highest_with)
    rivals |= {p.code for p in rules.programmes.values() if programme in p.highest_with}
    return min(rivals)


def _failing(age: pl.Expr) -> pl.Expr:
    """The first checkable condition a person does not meet, or null."""
    return (
        pl.when(
            (pl.col("age_from").is_not_null() & ~(age >= pl.col("age_from")).fill_null(False))
            | (pl.col("age_below").is_not_null() & ~(age < pl.col("age_below")).fill_null(False))
        )
        .then(pl.lit("age"))
        .when(
            (pl.col("statuses").list.len() > 0)
            & ~pl.col("statuses").list.contains(pl.col("status")).fill_null(False)
        )
        .then(pl.lit("household_status"))
        .when(
            pl.col("needs_disability").is_not_null()
            & (pl.col("disability").fill_null("") != pl.col("needs_disability"))
        )
        .then(pl.lit("disability"))
        .when(pl.col("needs_area") & ~pl.col("disadvantaged").fill_null(False))
        .then(pl.lit("area"))
    )


def _meets(condition: dict[str, Any]) -> pl.Expr:
    """Whether a person meets one category's checkable conditions: exactly when `_failing`
    finds none, written on the category's values so that no person is paired with every
    category (a million people by a dozen categories)."""
    met = pl.lit(True)
    if condition["age_from"] is not None:
        met &= (pl.col("age") >= condition["age_from"]).fill_null(False)
    if condition["age_below"] is not None:
        met &= (pl.col("age") < condition["age_below"]).fill_null(False)
    if condition["statuses"]:
        met &= pl.col("status").is_in(condition["statuses"]).fill_null(False)
    if condition["needs_disability"] is not None:
        met &= pl.col("disability").fill_null("") == condition["needs_disability"]
    if condition["needs_area"]:
        met &= pl.col("disadvantaged").fill_null(False)
    return met


def _eligible(people: pl.DataFrame, rules_frame: pl.DataFrame) -> pl.DataFrame:
    """Each person with each checkable category whose conditions they meet."""
    found = [
        people.lazy()
        .filter(_meets(condition))
        .select(
            "person_id",
            "commune_code",
            *(pl.lit(condition[c], pl.String).alias(c) for c in ("programme", "category")),
            "age",
            "status",
            pl.lit(condition["group"], pl.String).alias("group"),
        )
        for condition in rules_frame.iter_rows(named=True)
    ]
    if not found:
        return people.select("person_id", "commune_code").head(0)
    return pl.concat(found).collect()


def coverage(
    people: pl.DataFrame, held: pl.DataFrame, rules: Rules
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(eligible, unserved, unqualified): who meets a checkable category; of them, who
    receives nothing from
    its programme (or a programme paid instead of it); people paid in a checkable category
    whose conditions they no longer meet, with the first failing condition as `reason`.

    `held` has person_id, programme and category of current decided benefits.
    """
    rules_frame = conditions(rules)
    eligible = _eligible(people, rules_frame)
    receiving = held.join(rules_frame.select("programme", "group").unique(), on="programme")
    unserved = eligible.join(
        receiving.select("person_id", "group").unique(), on=["person_id", "group"], how="anti"
    ).select("person_id", "commune_code", "programme", "category", "age", "status")
    unqualified = (
        people.join(held, on="person_id")
        .join(rules_frame, on=["programme", "category"])
        .with_columns(_failing(pl.col("age")).alias("reason"))
        .filter(pl.col("reason").is_not_null())
        .select("person_id", "commune_code", "programme", "category", "age", "status", "reason")
    )
    eligible = eligible.select("person_id", "commune_code", "programme", "category")
    return eligible, unserved, unqualified

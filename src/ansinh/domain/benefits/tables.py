"""The rules as frames, for the set-based engine: level rows, dated bases, attachments, groups."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.domain.benefits.rules import Programme, Rules

# Far enough ahead to mean "still in force", within the range of a Polars date.
OPEN_END = date(9999, 12, 1)

LEVEL_SCHEMA = {
    "programme": pl.String,
    "category": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "row": pl.Int32,
    "coefficient": pl.Float64,
    "level_amount": pl.Int64,
    "age_from": pl.Int32,
    "age_below": pl.Int32,
    "injury_rate": pl.Int32,
    "per_child": pl.Boolean,
    "eligible_from": pl.Int32,  # the category's own age bounds (Decree 20/2021 Art. 5)
    "eligible_below": pl.Int32,
}


def level_frame(rules: Rules) -> pl.DataFrame:
    """One row per level row in force over [valid_from, valid_to); a rate table's row is
    repeated for each whole percent it covers, so that a person's rate is found by a join."""
    rows: list[tuple[object, ...]] = []
    for programme in rules.programmes.values():
        for category in programme.categories:
            ends = [s.valid_from for s in category.levels[1:]] + [OPEN_END][: len(category.levels)]
            for level, valid_to in zip(category.levels, ends, strict=True):
                for position, row in enumerate(level.rows):
                    rates = (
                        range(row.injury_rate_from, (row.injury_rate_to or 100) + 1)
                        if category.level_by == "injury_rate" and row.injury_rate_from is not None
                        else [None]
                    )
                    rows += [
                        (
                            programme.code,
                            category.code,
                            level.valid_from,
                            valid_to,
                            position,
                            row.coefficient,
                            row.amount,
                            row.age_from,
                            row.age_below,
                            rate,
                            row.per_child,
                            category.eligibility.age_from,
                            category.eligibility.age_below,
                        )
                        for rate in rates
                    ]
    return pl.DataFrame(rows, schema=LEVEL_SCHEMA, orient="row")


def base_frame(rules: Rules) -> pl.DataFrame:
    """Each programme's base value by the date it takes effect, sorted for an as-of join."""
    rows = [
        (programme.code, value.valid_from, value.value, value.provisional)
        for programme in rules.programmes.values()
        if programme.base is not None
        for value in rules.bases[programme.base].values
    ]
    schema = {
        "programme": pl.String,
        "base_from": pl.Date,
        "base": pl.Float64,
        "base_provisional": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row").sort("base_from")


def attachment_frame(rules: Rules) -> pl.DataFrame:
    """programme, category, the category paid with it, and from which injury rate."""
    rows = [
        (p.code, c.code, a.category, a.injury_rate_from)
        for p in rules.programmes.values()
        for c in p.categories
        for a in c.attach
    ]
    schema = {
        "programme": pl.String,
        "category": pl.String,
        "attached": pl.String,
        "from_rate": pl.Int32,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def group_frame(rules: Rules) -> pl.DataFrame:
    """programme, category and the group within which only the highest amount is paid.

    A programme that pays the highest puts every category in one group, but for those paid
    besides it; one that pays each puts only its `highest_only` groups' categories in groups.
    """
    rows = [row for p in rules.programmes.values() for row in _groups(p)]
    schema = {"programme": pl.String, "category": pl.String, "group": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _groups(programme: Programme) -> list[tuple[str, str, str]]:
    if programme.pays == "highest":
        return [
            (programme.code, code, "all")
            for code in programme.codes
            if code not in programme.paid_besides_highest
        ]
    return [
        (programme.code, code, f"group-{index}")
        for index, group in enumerate(programme.highest_only)
        for code in group
    ]


def exclusion_frame(rules: Rules) -> pl.DataFrame:
    """programme, a category, and a category whose holder is not paid it."""
    rows = [
        (p.code, category, by)
        for p in rules.programmes.values()
        for category, holders in p.excluded_by
        for by in holders
    ]
    schema = {"programme": pl.String, "category": pl.String, "by": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def category_order(rules: Rules) -> pl.DataFrame:
    """Each category's position in its file: ties in "highest only" go to the first."""
    rows = [
        (p.code, c.code, position)
        for p in rules.programmes.values()
        for position, c in enumerate(p.categories)
    ]
    schema = {"programme": pl.String, "category": pl.String, "order": pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")

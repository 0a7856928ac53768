"""Programme capital: plans, disbursement rates at a date, and what is left to carry over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

ALL = "ALL"
CAPITAL_TYPES = ("investment", "recurrent")
# A plan line: one allocation, from `source_year`'s budget, to spend in `plan_year`.
PLAN_KEY = ["programme", "capital_type", "plan_year", "unit_code", "project"]
PLAN_SCHEMA = {
    "programme": pl.String,
    "capital_type": pl.String,
    "plan_year": pl.Int32,
    "source_year": pl.Int32,
    "unit_code": pl.String,
    "project": pl.String,
    "amount_vnd": pl.Int64,
}
DISBURSEMENT_SCHEMA = {
    "programme": pl.String,
    "capital_type": pl.String,
    "plan_year": pl.Int32,
    "unit_code": pl.String,
    "project": pl.String,
    "date": pl.Date,
    "amount_vnd": pl.Int64,
}
REPORT_COLUMNS = (
    "programme",
    "capital_type",
    "plan_vnd",
    "disbursed_vnd",
    "rate",
    "remaining_vnd",
    "carry_over_vnd",
    "carry_over_share",
    "expiring_vnd",
)
BY_CHOICES = ("unit_code", "plan_year", "source_year", "project")


def half_up(numerator: pl.Expr, denominator: pl.Expr, places: int) -> pl.Expr:
    """numerator / denominator rounded half-up to `places` decimals, exact on whole numbers."""
    scale = 10**places
    scaled = (numerator * (2 * scale) + denominator) // (2 * denominator)
    # Already whole in units of 10^-places; round() only drops a division ulp.
    return pl.when(denominator > 0).then((scaled / scale).round(places)).otherwise(None)


def allocate(plans: pl.DataFrame, disbursements: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Each plan line with `disbursed_vnd` up to `as_of` and what `remaining_vnd` is left.

    Disbursements do not name the source year; they spend the oldest allocation of their key
    first, since carried-over capital lapses sooner (finance.yaml, `spend_order`).
    """
    spent = (
        disbursements.filter(pl.col("date") <= as_of)
        .group_by(PLAN_KEY)
        .agg(pl.col("amount_vnd").sum().alias("_spent"))
    )
    lines = plans.sort([*PLAN_KEY, "source_year"]).with_columns(
        (pl.col("amount_vnd").cum_sum().over(PLAN_KEY) - pl.col("amount_vnd")).alias("_before")
    )
    lines = lines.join(spent, on=PLAN_KEY, how="left", nulls_equal=True).with_columns(
        pl.col("_spent").fill_null(0)
    )
    disbursed = (pl.col("_spent") - pl.col("_before")).clip(0, pl.col("amount_vnd"))
    return lines.with_columns(disbursed.alias("disbursed_vnd")).select(
        *PLAN_SCHEMA,
        "disbursed_vnd",
        (pl.col("amount_vnd") - pl.col("disbursed_vnd")).alias("remaining_vnd"),
    )


def finance_report(
    plans: pl.DataFrame,
    disbursements: pl.DataFrame,
    as_of: date,
    by: Sequence[str] = (),
    programme_order: Sequence[str] = (),
) -> pl.DataFrame:
    """One row per programme and capital type (per `by` value), with ALL total rows."""
    lines = allocate(plans, disbursements, as_of).with_columns(
        pl.col("source_year").cast(pl.String), pl.col("plan_year").cast(pl.String)
    )
    own = pl.col("source_year") == pl.col("plan_year")
    sums = [
        pl.col("amount_vnd").sum().alias("plan_vnd"),
        pl.col("disbursed_vnd").sum(),
        pl.col("remaining_vnd").sum(),
        pl.col("remaining_vnd").filter(own).sum().alias("carry_over_vnd"),
        pl.col("remaining_vnd").filter(~own).sum().alias("expiring_vnd"),
    ]
    keys = list(by)
    frames = [
        lines.group_by([*keys, *dims])
        .agg(sums)
        .with_columns(
            *(pl.lit(ALL).alias(d) for d in ("programme", "capital_type") if d not in dims)
        )
        for dims in (["programme", "capital_type"], ["programme"], ["capital_type"], [])
    ]
    report = pl.concat(frames, how="diagonal").with_columns(
        half_up(pl.col("disbursed_vnd"), pl.col("plan_vnd"), 4).alias("rate"),
        half_up(pl.col("carry_over_vnd"), pl.col("plan_vnd"), 4).alias("carry_over_share"),
    )
    return _ordered(report, keys, programme_order).select(*keys, *REPORT_COLUMNS)


def _ordered(report: pl.DataFrame, keys: list[str], programme_order: Sequence[str]) -> pl.DataFrame:
    """Known programmes in the catalogue's order, then others; investment, recurrent; ALL last."""
    programmes = [*programme_order, *sorted(set(report["programme"]) - {*programme_order, ALL})]
    rank = {code: i for i, code in enumerate([*programmes, ALL])}
    types = {code: i for i, code in enumerate([*CAPITAL_TYPES, ALL])}
    return report.sort(
        [
            *keys,
            pl.col("programme").replace_strict(rank, return_dtype=pl.Int32),
            pl.col("capital_type").replace_strict(types, default=len(types), return_dtype=pl.Int32),
        ]
    )


def disbursement_curve(
    plans: pl.DataFrame, disbursements: pl.DataFrame, as_of: date
) -> pl.DataFrame:
    """Cumulative disbursement by date and capital type, as a share of the plan of that type."""
    plan = plans.group_by("capital_type").agg(pl.col("amount_vnd").sum().alias("plan_vnd"))
    daily = (
        disbursements.filter(pl.col("date") <= as_of)
        .group_by("capital_type", "date")
        .agg(pl.col("amount_vnd").sum())
    )
    total = (
        daily.group_by("date")
        .agg(pl.col("amount_vnd").sum())
        .with_columns(pl.lit(ALL).alias("capital_type"))
    )
    plan = pl.concat([plan, plan.select(pl.lit(ALL).alias("capital_type"), pl.sum("plan_vnd"))])
    curve = pl.concat([daily, total.select(daily.columns)]).sort("capital_type", "date")
    return (
        curve.with_columns(
            pl.col("amount_vnd").cum_sum().over("capital_type").alias("cumulative_vnd")
        )
        .join(plan, on="capital_type")
        .with_columns((pl.col("cumulative_vnd") / pl.col("plan_vnd")).alias("share"))
    )

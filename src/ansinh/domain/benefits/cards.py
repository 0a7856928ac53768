"""Health-insurance cards the state pays or subsidises: each person's group (the first that
applies, Health Insurance Law Art. 13(2)), what the state pays, and the month's changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl
import yaml

from ansinh.domain.benefits.rules import Rules

KINH = "01"  # the majority group; every other is an ethnic minority
PEOPLE_COLUMNS = {
    "person_id": pl.String,
    "commune_code": pl.String,
    "age_months": pl.Int32,  # whole months reached by the end of the month considered
    "status": pl.String,
    "ethnicity_code": pl.String,
    "disadvantaged": pl.Boolean,
}


@dataclass(frozen=True)
class Group:
    code: str
    order: int
    state_share: float
    registry: dict[str, Any]
    name_vi: str
    name_en: str


@lru_cache(maxsize=1)
def groups() -> tuple[Group, ...]:
    text = resources.files("ansinh").joinpath("data", "benefits", "health_insurance.yaml")
    data = yaml.safe_load(text.read_text("utf-8"))
    return tuple(
        Group(
            g["code"],
            g["order"],
            float(g["state_share"]),
            g["registry"],
            g["name_vi"],
            g["name_en"],
        )
        for g in sorted(data["groups"], key=lambda g: g["order"])
    )


def _applies(group: Group, benefits: pl.Expr) -> pl.Expr:
    """Whether a person is in the group, from the registry's columns."""
    rule = group.registry
    found = pl.lit(True)
    if "benefit" in rule:
        found &= benefits.list.contains(pl.lit(rule["benefit"]))
    if "age_months_below" in rule:
        found &= pl.col("age_months") < rule["age_months_below"]
    if "household_status" in rule:
        found &= pl.col("status") == rule["household_status"]
    if rule.get("ethnic_minority"):
        found &= pl.col("ethnicity_code").is_not_null() & (pl.col("ethnicity_code") != KINH)
    if rule.get("disadvantaged_area"):
        found &= pl.col("disadvantaged").fill_null(False)
    return found.fill_null(False)


def card_holders(people: pl.DataFrame, held: pl.DataFrame, rules: Rules, day: date) -> pl.DataFrame:
    """Each person with a state-paid or subsidised card on `day`: the first group that applies,
    the state's share and what it pays for the year (rate x base salary x 12 x share)."""
    programmes = held.group_by("person_id").agg(pl.col("programme").unique().alias("benefits"))
    frame = people.join(programmes, on="person_id", how="left").with_columns(
        pl.col("benefits").fill_null(pl.lit([], pl.List(pl.String)))
    )
    chosen = pl.lit(None, pl.String)
    for group in reversed(groups()):  # the first that applies wins
        chosen = (
            pl.when(_applies(group, pl.col("benefits"))).then(pl.lit(group.code)).otherwise(chosen)
        )
    shares = {g.code: g.state_share for g in groups()}
    yearly = _yearly_contribution(rules, day)
    return (
        frame.with_columns(chosen.alias("group"))
        .filter(pl.col("group").is_not_null())
        .with_columns(
            pl.col("group").replace_strict(shares, return_dtype=pl.Float64).alias("state_share")
        )
        .with_columns(
            ((pl.col("state_share") * yearly) + 0.5).floor().cast(pl.Int64).alias("state_vnd_year")
        )
        .select("person_id", "commune_code", "group", "state_share", "state_vnd_year")
    )


def _yearly_contribution(rules: Rules, day: date) -> float:
    rate = rules.bases["health_insurance_rate"].value_on(day)
    salary = rules.bases["base_salary"].value_on(day)
    if rate is None or salary is None:
        return 0.0
    return rate.value * salary.value * 12


def changes(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """The add/remove list between two lists of holders: `change` is add, remove or group
    (the person keeps a card under another group)."""
    both = before.select("person_id", "commune_code", pl.col("group").alias("group_before")).join(
        after.select("person_id", "commune_code", "group"),
        on=["person_id", "commune_code"],
        how="full",
        coalesce=True,
    )
    change = (
        pl.when(pl.col("group_before").is_null())
        .then(pl.lit("add"))
        .when(pl.col("group").is_null())
        .then(pl.lit("remove"))
        .when(pl.col("group") != pl.col("group_before"))
        .then(pl.lit("group"))
    )
    return both.with_columns(change.alias("change")).filter(pl.col("change").is_not_null())

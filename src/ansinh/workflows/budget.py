"""What a province's allowances and cards would cost under another poverty standard or another
base level, by commune, beside what they cost now (a year at the month's rates)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl
from sqlalchemy import Engine

from ansinh.domain.benefits.cards import card_holders
from ansinh.domain.benefits.eligibility import coverage
from ansinh.domain.benefits.entitlements import entitlements
from ansinh.domain.benefits.loader import shipped_rules
from ansinh.domain.benefits.rules import BaseValue, Rules
from ansinh.domain.poverty import classify_frame, deprived_column, load_standard
from ansinh.store.coverage import (
    latest_questionnaires,
    paid_now,
    people_of,
    status_run,
    status_year,
)
from ansinh.store.freshness import remembered
from ansinh.store.payroll import decided_benefits
from ansinh.workflows.payroll import claim_windows


@dataclass(frozen=True)
class WhatIf:
    """Another poverty standard (its id or file), and base levels from the month (code: VND)."""

    standard: str | None = None
    bases: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Budget:
    month: date
    by_commune: pl.DataFrame  # commune_code, allowances_now, allowances_what_if, cards_now, ...
    households_changed: int  # households whose status the other standard changes
    provisional: bool  # the other standard is provisional: say so beside the figures


def budget_impact(engine: Engine, communes: list[str], month: date, what_if: WhatIf) -> Budget:
    """The budget of `communes` now and under `what_if`, kept until the registry changes (it
    reads every person of the province)."""
    key = (tuple(communes), month, what_if)
    return remembered(engine, "budget", key, lambda: _costed(engine, communes, month, what_if))


def _costed(engine: Engine, communes: list[str], month: date, what_if: WhatIf) -> Budget:
    now_rules = shipped_rules()
    other_rules = _with_bases(now_rules, what_if.bases, month)
    with engine.connect() as connection:
        people = people_of(connection, communes, month)
        held = paid_now(connection, communes, month)
        claims = claim_windows(decided_benefits(connection, communes, month), {}, month)
        year = status_year(connection, status_run(connection))
        answers = (
            latest_questionnaires(connection, communes, year)
            if what_if.standard and year is not None
            else None
        )
    other_people, changed, provisional = _reclassified(people, answers, what_if.standard)
    other_claims = _claims_under(claims, people, other_people, held, other_rules, month)
    costs = [
        _yearly(
            entitlements(claims, now_rules, month, month, keep=("commune_code",)),
            "amount",
            "allowances_now",
        ),
        _yearly(
            _scaled(
                entitlements(other_claims, other_rules, month, month, keep=("commune_code",)),
                now_rules,
                other_rules,
                month,
            ),
            "amount",
            "allowances_what_if",
        ),
        _sum(card_holders(people, held, now_rules, month), "cards_now"),
        _sum(card_holders(other_people, held, other_rules, month), "cards_what_if"),
    ]
    frame = pl.DataFrame({"commune_code": communes})
    for cost in costs:
        frame = frame.join(cost, on="commune_code", how="left")
    return Budget(month, frame.fill_null(0), changed, provisional)


def _with_bases(rules: Rules, bases: tuple[tuple[str, float], ...], month: date) -> Rules:
    changed = dict(rules.bases)
    for code, value in bases:
        base = changed[code]
        kept = tuple(v for v in base.values if v.valid_from < month)
        changed[code] = replace(base, values=(*kept, BaseValue(month, value, "what-if")))
    return Rules(changed, rules.programmes)


def _scaled(due: pl.DataFrame, now: Rules, other: Rules, month: date) -> pl.DataFrame:
    """Amounts the annexes print (meritorious levels) move with their base in a what-if, as
    the annexes did when the base rose (Decree 55/2023, 77/2024): amount x other / now."""
    ratios = {}
    for programme in other.programmes.values():
        if programme.base is None:
            continue
        before, after = (
            now.bases[programme.base].value_on(month),
            other.bases[programme.base].value_on(month),
        )
        if before and after and before.value != after.value:
            ratios[programme.code] = after.value / before.value
    printed = [
        {"programme": p.code, "category": c.code}
        for p in other.programmes.values()
        if p.code in ratios
        for c in p.categories
        if (level := c.level_on(month)) is not None
        and any(r.amount is not None for r in level.rows)
    ]
    if not printed:
        return due
    is_printed = pl.struct("programme", "category").is_in(printed)
    ratio = pl.col("programme").replace_strict(ratios, default=1.0, return_dtype=pl.Float64)
    return due.with_columns(
        pl.when(is_printed)
        .then((pl.col("amount") * ratio + 0.5).floor().cast(pl.Int64))
        .otherwise(pl.col("amount"))
        .alias("amount")
    )


def _reclassified(
    people: pl.DataFrame, answers: pl.DataFrame | None, standard_id: str | None
) -> tuple[pl.DataFrame, int, bool]:
    if answers is None or standard_id is None:
        return people, 0, False
    standard = load_standard(standard_id)
    missing = [
        deprived_column(k) for k in standard.indicators if deprived_column(k) not in answers.columns
    ]
    statuses = classify_frame(
        answers.with_columns(pl.lit(None, pl.Int64).alias(c) for c in missing), standard
    ).select("household_pk", pl.col("status").alias("_other"))
    other = people.join(statuses, on="household_pk", how="left")
    changed = (
        other.filter(pl.col("_other").is_not_null() & pl.col("_other").ne_missing(pl.col("status")))
        .select(pl.col("household_pk").n_unique())
        .item()
    )
    other = other.with_columns(pl.coalesce("_other", "status").alias("status")).drop("_other")
    return other, int(changed), standard.provisional


def _claims_under(
    claims: pl.DataFrame,
    people: pl.DataFrame,
    other: pl.DataFrame,
    held: pl.DataFrame,
    rules: Rules,
    month: date,
) -> pl.DataFrame:
    """The claims paid under the what-if: less those whose category the new status excludes,
    plus a claim for each person the new status makes look entitled (granted from the month)."""
    _, unserved_now, _ = coverage(people, held, rules)
    _, unserved_other, unqualified = coverage(other, held, rules)
    lost = unqualified.filter(pl.col("reason") == "household_status").select(
        "person_id", "programme", "category"
    )
    kept = claims.join(lost, on=["person_id", "programme", "category"], how="anti")
    gained = unserved_other.join(
        unserved_now, on=["person_id", "programme", "category"], how="anti"
    )
    births = other.select("person_id", "birth_date")
    new = gained.join(births, on="person_id").select(
        "person_id",
        "commune_code",
        "programme",
        "category",
        "birth_date",
        pl.lit(month).alias("start"),
    )
    return claim_windows(pl.concat([kept, new], how="diagonal_relaxed"), {}, month)


def _yearly(due: pl.DataFrame, column: str, name: str) -> pl.DataFrame:
    return due.group_by("commune_code").agg((pl.col(column).sum() * 12).alias(name))


def _sum(holders: pl.DataFrame, name: str) -> pl.DataFrame:
    return holders.group_by("commune_code").agg(pl.col("state_vnd_year").sum().alias(name))

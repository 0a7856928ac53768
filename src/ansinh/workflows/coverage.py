"""The "100 % covered" target made checkable: by commune, who looks entitled and receives
nothing, and who is paid and no longer qualifies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine

from ansinh.domain.benefits.eligibility import coverage
from ansinh.domain.benefits.loader import shipped_rules
from ansinh.store.coverage import paid_now, people_of
from ansinh.store.freshness import remembered


@dataclass(frozen=True)
class Coverage:
    by_commune: pl.DataFrame  # commune_code, entitled, unserved, unqualified, rate
    unserved: pl.DataFrame  # person_id, full_name, household_pk, commune_code, programme, ...
    unqualified: pl.DataFrame


def check_coverage(engine: Engine, communes: list[str], today: date | None = None) -> Coverage:
    """The check of `communes` in `today`'s month, kept until the registry changes: the page
    and its workbook read every person of the province (4.7 s at 1,000,000 households)."""
    day = today or date.today()
    key = (tuple(communes), day)
    return remembered(engine, "coverage", key, lambda: _checked(engine, communes, day))


def _checked(engine: Engine, communes: list[str], today: date) -> Coverage:
    with engine.connect() as connection:
        people = people_of(connection, communes, today)
        held = paid_now(connection, communes, today)
    eligible, unserved, unqualified = coverage(people, held, shipped_rules())
    names = people.select("person_id", "full_name", "household_pk")
    unserved, unqualified = (f.join(names, on="person_id") for f in (unserved, unqualified))
    return Coverage(_by_commune(people, eligible, unserved, unqualified), unserved, unqualified)


def _by_commune(
    people: pl.DataFrame,
    eligible: pl.DataFrame,
    unserved: pl.DataFrame,
    unqualified: pl.DataFrame,
) -> pl.DataFrame:
    """Per commune: people who look entitled to something, those who receive nothing, the
    share covered (half up, as every rate An Sinh shows), and those paid who no longer
    qualify."""
    frame = people.select("commune_code").unique()
    for name, found in (
        ("entitled", eligible),
        ("unserved", unserved),
        ("unqualified", unqualified),
    ):
        counted = found.group_by("commune_code").agg(pl.col("person_id").n_unique().alias(name))
        frame = frame.join(counted, on="commune_code", how="left")
    frame = frame.with_columns(pl.col("entitled", "unserved", "unqualified").fill_null(0))
    covered = 1 - pl.col("unserved") / pl.col("entitled")
    return frame.with_columns(
        pl.when(pl.col("entitled") > 0)
        .then((covered * 10_000 + 0.5).floor() / 10_000)
        .alias("rate")
    ).sort("commune_code")

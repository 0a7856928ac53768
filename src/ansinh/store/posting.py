"""The lists a commune posts publicly after its review: who is poor, near-poor, or left either."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Connection, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from ansinh.store import frames
from ansinh.store.models import Household, Person, ReviewResult, ReviewRun, Unit

POSTED_STATUSES = ("poor", "near_poor", "exited_poverty", "exited_near_poverty")


def _current_run(connection: Connection, year: int) -> int | None:
    """The year's current run under a confirmed standard: what-ifs are not posted."""
    return connection.scalar(
        select(ReviewRun.id)
        .where(
            ReviewRun.year == year,
            ReviewRun.current.is_(True),
            ReviewRun.provisional.is_(False),
            ReviewRun.what_if.is_not(True),
        )
        .order_by(ReviewRun.id.desc())
        .limit(1)
    )


def posted_list(connection: Connection, commune: str, year: int) -> pl.DataFrame:
    """village, head_name, status: one row per household on a list, by village and name.

    A household poor last year and not this year has exited poverty; near-poor last year and
    neither this year, exited near-poverty (Decision 24/2021/QĐ-TTg's four lists). Nothing a
    neighbour should not see: no code, ID, birth date or income.
    """
    return posted_lists(connection, [commune], year)[commune]


def posted_lists(connection: Connection, communes: list[str], year: int) -> dict[str, pl.DataFrame]:
    """`posted_list` for many communes at once, in one query: a province's posting is read in
    one pass, not a query per commune. Every commune asked for is a key (an empty frame when
    nothing is on its lists)."""
    now, before = _current_run(connection, year), _current_run(connection, year - 1)
    empty = pl.DataFrame(schema=dict.fromkeys(("village", "head_name", "status"), pl.String))
    if now is None or not communes:
        return dict.fromkeys(communes, empty)
    many = len(communes) > FEW_COMMUNES
    query = (_by_results if many else _by_households)(now, before or -1, communes)
    rows = frames.read_frame(connection, query, _SCHEMA)
    order = {s: i for i, s in enumerate(POSTED_STATUSES)}
    posted = (
        pl.concat(_lists(rows))
        .with_columns(pl.col("village").fill_null(""))
        .sort("commune", pl.col("status").replace_strict(order), "village", "folded")
        .select("commune", "village", "head_name", "status")
    )
    parts = posted.partition_by("commune", as_dict=True, include_key=False, maintain_order=True)
    found = {str(key[0]): frame for key, frame in parts.items()}
    return {code: found.get(code, empty) for code in communes}


# A few communes are read through their households (the commune index), a province's through
# the results on a list in either run: at 1,000,000 households the 99 communes' lists took 6.1 s
# the first way and 2.2 s grouping every result of the two runs (on a faster machine). Grouping
# only the results on a list (a third), then reading this year's result of each of those
# households, brought the read from 3.7-4.1 s to 2.5-2.7 s on a third machine. Both read every
# run's results, so they would be slow for one commune.
FEW_COMMUNES = 8


def _by_households(now: int, before: int, communes: list[str]) -> Select[*tuple[Any, ...]]:
    this, last, village = aliased(ReviewResult), aliased(ReviewResult), aliased(Unit)
    return (
        select(
            Household.commune_code,
            village.name,
            Person.full_name,
            Person.name_folded,
            this.status,
            last.status,
        )
        .join(this, and_(this.household_id == Household.id, this.run_id == now))
        .outerjoin(last, and_(last.household_id == Household.id, last.run_id == before))
        .join(Person, and_(Person.household_id == Household.id, Person.relation == "head"))
        .outerjoin(village, village.code == Household.village_code)
        .where(Household.commune_code.in_(communes))
        # only a household on a list comes out: poor or near-poor this year or last
        .where(or_(this.status.in_(_ON_A_LIST), last.status.in_(_ON_A_LIST)))
    )


def _by_results(now: int, before: int, communes: list[str]) -> Select[*tuple[Any, ...]]:
    result, this, village = ReviewResult, aliased(ReviewResult), aliased(Unit)
    # "+ 0" keeps SQLite from grouping through the (household, run) index, which looks up the
    # table for every result of every run (0.6 s against a scan's 0.3 s at 1,000,000)
    household = (result.household_id + 0).label("household_id")
    on_a_list = (
        select(household, func.max(case((result.run_id == before, result.status))).label("before"))
        .where(result.run_id.in_([now, before]), result.status.in_(_ON_A_LIST))
        .group_by(household)
        .subquery()
    )
    return (
        select(
            Household.commune_code,
            village.name,
            Person.full_name,
            Person.name_folded,
            this.status,
            on_a_list.c.before,
        )
        .select_from(on_a_list)
        # reviewed this year: its result now, on a list or not (it may have left one)
        .join(this, and_(this.household_id == on_a_list.c.household_id, this.run_id == now))
        .join(Household, Household.id == on_a_list.c.household_id)
        .join(Person, and_(Person.household_id == Household.id, Person.relation == "head"))
        .outerjoin(village, village.code == Household.village_code)
        .where(Household.commune_code.in_(communes))
    )


_ON_A_LIST = ("poor", "near_poor")
_SCHEMA = {
    "commune": pl.String,
    "village": pl.String,
    "head_name": pl.String,
    "folded": pl.String,
    "now": pl.String,
    "before": pl.String,
}


def _lists(rows: pl.DataFrame) -> list[pl.DataFrame]:
    """The four lists of Decision 24/2021: poor, near-poor, exited poverty, exited near-poverty."""
    return [
        rows.filter(pl.col("now") == "poor").with_columns(pl.lit("poor").alias("status")),
        rows.filter(pl.col("now") == "near_poor").with_columns(pl.lit("near_poor").alias("status")),
        rows.filter((pl.col("before") == "poor") & (pl.col("now") != "poor")).with_columns(
            pl.lit("exited_poverty").alias("status")
        ),
        rows.filter(
            (pl.col("before") == "near_poor") & ~pl.col("now").is_in(["poor", "near_poor"])
        ).with_columns(pl.lit("exited_near_poverty").alias("status")),
    ]

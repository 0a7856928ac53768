"""The lists a commune posts publicly after its review: who is poor, near-poor, or left either."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, and_, select
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
    now, before = _current_run(connection, year), _current_run(connection, year - 1)
    if now is None:
        return pl.DataFrame(schema=dict.fromkeys(("village", "head_name", "status"), pl.String))
    this, last = aliased(ReviewResult), aliased(ReviewResult)
    village = select(Unit.name).where(Unit.code == Household.village_code).scalar_subquery()
    query = (
        select(
            Household.id, village, Person.full_name, Person.name_folded, this.status, last.status
        )
        .join(this, and_(this.household_id == Household.id, this.run_id == now))
        .outerjoin(last, and_(last.household_id == Household.id, last.run_id == (before or -1)))
        .join(Person, and_(Person.household_id == Household.id, Person.relation == "head"))
        .where(Household.commune_code == commune)
    )
    schema = {
        "id": pl.Int64,
        "village": pl.String,
        "head_name": pl.String,
        "folded": pl.String,
        "now": pl.String,
        "before": pl.String,
    }
    rows = frames.read_frame(connection, query, schema)
    lists = [
        rows.filter(pl.col("now") == "poor").with_columns(pl.lit("poor").alias("status")),
        rows.filter(pl.col("now") == "near_poor").with_columns(pl.lit("near_poor").alias("status")),
        rows.filter((pl.col("before") == "poor") & (pl.col("now") != "poor")).with_columns(
            pl.lit("exited_poverty").alias("status")
        ),
        rows.filter(
            (pl.col("before") == "near_poor") & ~pl.col("now").is_in(["poor", "near_poor"])
        ).with_columns(pl.lit("exited_near_poverty").alias("status")),
    ]
    order = {s: i for i, s in enumerate(POSTED_STATUSES)}
    return (
        pl.concat(lists)
        .with_columns(pl.col("village").fill_null(""))
        .sort(pl.col("status").replace_strict(order), "village", "folded")
        .select("village", "head_name", "status")
    )

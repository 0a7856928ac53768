"""What the coverage check reads: people with their age, household status, disability and area,
and the benefits they are paid now."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, and_, literal, or_, select
from sqlalchemy.orm import aliased

from ansinh.store import frames
from ansinh.store.models import Benefit, Household, Person, ReviewResult, ReviewRun, Unit

PEOPLE_SCHEMA = {
    "person_id": pl.String,
    "household_pk": pl.Int64,
    "full_name": pl.String,
    "commune_code": pl.String,
    "birth_date": pl.String,
    "disability": pl.String,
    "status": pl.String,
    "ethnicity_code": pl.String,
    "disadvantaged": pl.Boolean,
}
HELD_SCHEMA = {"person_id": pl.String, "programme": pl.String, "category": pl.String}


def status_runs(connection: Connection) -> list[int]:
    """The review runs whose statuses count, latest year first: the current confirmed run of
    each year."""
    rows = connection.execute(
        select(ReviewRun.year, ReviewRun.id)
        .where(ReviewRun.current.is_(True), ReviewRun.provisional.is_(False))
        .order_by(ReviewRun.year.desc(), ReviewRun.id.desc())
    )
    found: dict[int, int] = {}
    for year, run in rows:
        found.setdefault(year, run)
    return list(found.values())


def status_run(connection: Connection) -> int | None:
    """The review run whose statuses count now."""
    runs = status_runs(connection)
    return runs[0] if runs else None


def people_of(
    connection: Connection, communes: list[str], today: date, run: int | None = -1
) -> pl.DataFrame:
    """The communes' people, with `age` in whole years and `age_months` in whole months reached
    by the end of this month, their household's status in `run` (the latest by default)."""
    village, commune = aliased(Unit), aliased(Unit)
    run = status_run(connection) if run == -1 else run
    query = (
        select(
            Person.code,
            Household.id,
            Person.full_name,
            Household.commune_code,
            Person.birth_date,
            Person.disability,
            ReviewResult.status,
            Person.ethnicity_code,
            or_(village.disadvantaged.is_(True), commune.disadvantaged.is_(True)),
        )
        .join(Household, Household.id == Person.household_id)
        .join(commune, commune.code == Household.commune_code)
        .outerjoin(village, village.code == Household.village_code)
        .outerjoin(
            ReviewResult,
            and_(
                ReviewResult.household_id == Household.id,
                ReviewResult.run_id == (run if run is not None else literal(-1)),
            ),
        )
    )
    people = frames.read_where_in(
        connection, query, Household.commune_code, communes, PEOPLE_SCHEMA
    )
    born = pl.col("birth_date")
    month = pl.when(born.str.len_chars() >= 7).then(born.str.slice(5, 2)).otherwise(pl.lit("1"))
    months = (today.year - born.str.slice(0, 4).cast(pl.Int32, strict=False)) * 12 + (
        today.month - month.cast(pl.Int32, strict=False)
    )
    return people.with_columns(months.alias("age_months"), (months // 12).alias("age"))


def paid_now(connection: Connection, communes: list[str], today: date) -> pl.DataFrame:
    """Benefits decided and not ended before this month."""
    this_month = today.replace(day=1)
    query = (
        select(Person.code, Benefit.programme, Benefit.category)
        .join(Person, Person.id == Benefit.person_id)
        .join(Household, Household.id == Person.household_id)
        .where(
            Benefit.start_month.is_not(None),
            Benefit.start_month <= this_month,
            or_(Benefit.end_month.is_(None), Benefit.end_month >= this_month),
        )
    )
    return frames.read_where_in(connection, query, Household.commune_code, communes, HELD_SCHEMA)

"""What the coverage check reads: people with their age, household status, disability and area,
and the benefits they are paid now."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, and_, func, literal, or_, select
from sqlalchemy.orm import aliased

from ansinh.store import frames
from ansinh.store.models import (
    Benefit,
    Household,
    Person,
    ReviewResult,
    ReviewRun,
    Survey,
    Unit,
)

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
    return aged(people, today)


def aged(people: pl.DataFrame, today: date) -> pl.DataFrame:
    """`people_of`'s people with their `age` and `age_months` as reached by the end of
    `today`'s month (another month's, for the same people read once)."""
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


def latest_questionnaires(connection: Connection, communes: list[str], year: int) -> pl.DataFrame:
    """Each household's latest questionnaire of the year: household_pk, area, income and the
    indicator answers (deprived_<key>), for classifying again under another standard."""
    survey = Survey.__table__
    indicators = [c for c in survey.c if c.name.startswith("deprived_")]
    latest = (
        select(Survey.household_id, func.max(Survey.survey_date).label("day"))
        .where(Survey.year == year)
        .group_by(Survey.household_id)
        .subquery()
    )
    query = (
        select(Survey.household_id, Survey.area, Survey.income_per_capita, *indicators)
        .join(
            latest,
            and_(latest.c.household_id == Survey.household_id, latest.c.day == Survey.survey_date),
        )
        .join(Household, Household.id == Survey.household_id)
    )
    schema = {"household_pk": pl.Int64, "area": pl.String, "income_per_capita": pl.Int64} | {
        c.name: pl.Int64 for c in indicators
    }
    return frames.read_where_in(connection, query, Household.commune_code, communes, schema)


def status_year(connection: Connection, run: int | None) -> int | None:
    return connection.scalar(select(ReviewRun.year).where(ReviewRun.id == run)) if run else None

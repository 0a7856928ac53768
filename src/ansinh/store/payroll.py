"""Payroll queries: the decided benefits of some communes, what runs already cover, writing runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
from sqlalchemy import Connection, delete, func, select, text, update

from ansinh.store import frames
from ansinh.store.models import Household, Person, Unit
from ansinh.store.payroll_models import OWED_AGAIN, PaymentLine, PaymentRun

CLAIM_COLUMNS = {
    "benefit_id": pl.Int64,
    "person_pk": pl.Int64,
    "person_id": pl.String,
    "commune_code": pl.String,
    "birth_date": pl.String,
    "programme": pl.String,
    "category": pl.String,
    "start": pl.Date,
    "end": pl.Date,
    "decision_date": pl.Date,
    "injury_rate": pl.Int32,
    "children": pl.Int32,
    "updated_at": pl.Datetime("us"),
}
COVERED_SCHEMA = {
    "commune_code": pl.String,
    "benefit_id": pl.Int64,
    "programme": pl.String,
    "category": pl.String,
    "person_pk": pl.Int64,
    "month": pl.Date,
    "covered": pl.Int64,
}
# A line still owed again: never collected, or returned.
UNPAID = ("not_collected", "returned")


@dataclass(frozen=True)
class Run:
    id: int
    month: date
    commune_code: str
    status: str
    lines: int
    total_vnd: int
    prepared_by: str
    prepared_at: datetime
    approved_by: str | None
    approved_at: datetime | None


# The columns of the benefits a payroll reads, as SQL over DECIDED (below).
_DECIDED_COLUMNS: dict[str, frames.Column] = {
    "benefit_id": ("b.id", pl.Int64()),
    "person_pk": ("p.id", pl.Int64()),
    "person_id": ("p.code", pl.String()),
    "commune_code": ("h.commune_code", pl.String()),
    "birth_date": ("p.birth_date", pl.String()),
    "programme": ("b.programme", pl.String()),
    "category": ("b.category", pl.String()),
    # Dates as ISO text on both backends, parsed below.
    "start": ("CAST(b.start_month AS TEXT)", pl.String()),
    "end": ("CAST(b.end_month AS TEXT)", pl.String()),
    "decision_date": ("CAST(b.decision_date AS TEXT)", pl.String()),
    "injury_rate": ("b.injury_rate", pl.Int32()),
    "children": ("b.children", pl.Int32()),
    "updated_at": ("CAST(b.updated_at AS TEXT)", pl.String()),
}


def decided_benefits(connection: Connection, communes: list[str], month: date) -> pl.DataFrame:
    """The benefits of the communes' people with a first month owed by `month`, read as whole
    columns (a million rows as Python tuples took 10 s, half of a payroll's time)."""
    # Benefits first: SQLite keeps the order of a CROSS JOIN, and reading every benefit then its
    # person and household took 0.2 s for a million, where starting from the communes' households
    # took 2.4 s. PostgreSQL plans the joins itself.
    source = (
        "FROM benefit AS b CROSS JOIN person AS p CROSS JOIN household AS h "
        "WHERE p.id = b.person_id AND h.id = p.household_id "
        "AND b.start_month IS NOT NULL AND b.start_month <= :month AND "
        + frames.among(connection, "h.commune_code", "communes")
    )
    parameters = {"month": month, "communes": frames.keys_parameter(connection, communes)}
    found = frames.read_columns(connection, _DECIDED_COLUMNS, source, parameters)
    dates = ("start", "end", "decision_date")
    return found.with_columns(
        pl.col(dates).str.slice(0, 10).str.to_date("%Y-%m-%d"),
        # To the microsecond: a decision recorded in the same second as a run is still after it.
        pl.col("updated_at")
        .str.replace("T", " ")
        .str.replace(r"[+-]\d{2}(:?\d{2})?$", "")
        .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us"),
    ).cast(CLAIM_COLUMNS)  # type: ignore[arg-type]


def first_runs(connection: Connection, communes: list[str]) -> dict[str, date]:
    """Each commune's first payroll month: months before it were paid outside An Sinh."""
    rows = connection.execute(
        select(PaymentRun.commune_code, func.min(PaymentRun.month))
        .where(PaymentRun.commune_code.in_(communes))
        .group_by(PaymentRun.commune_code)
    )
    return {code: first for code, first in rows}


def covered(
    connection: Connection, benefits: pl.Series, first: date, last: date, besides: list[int]
) -> pl.DataFrame:
    """What runs other than `besides` already pay for these benefits per month owed in
    [first, last]: lines pending or paid count, so that no month is paid twice."""
    query = (
        select(
            PaymentRun.commune_code,
            PaymentLine.benefit_id,
            PaymentLine.programme,
            PaymentLine.category,
            PaymentLine.person_id,
            PaymentLine.month,
            func.sum(PaymentLine.amount),
        )
        .join(PaymentRun, PaymentRun.id == PaymentLine.run_id)
        .where(
            PaymentLine.month.between(first, last),
            PaymentLine.status.not_in(UNPAID),
            PaymentRun.id.not_in(besides or [0]),
        )
        .group_by(
            PaymentRun.commune_code,
            PaymentLine.benefit_id,
            PaymentLine.programme,
            PaymentLine.category,
            PaymentLine.person_id,
            PaymentLine.month,
        )
    )
    return frames.read_where_in(
        connection, query, PaymentLine.benefit_id, benefits.drop_nulls(), COVERED_SCHEMA
    )


@dataclass(frozen=True)
class Previous:
    """A commune's latest run before a month: when it was prepared, under which rules."""

    prepared_at: datetime
    rules_version: str | None


def previous_runs(connection: Connection, communes: list[str], month: date) -> dict[str, Previous]:
    latest = (
        select(PaymentRun.commune_code, func.max(PaymentRun.month).label("month"))
        .where(PaymentRun.commune_code.in_(communes), PaymentRun.month < month)
        .group_by(PaymentRun.commune_code)
        .subquery()
    )
    rows = connection.execute(
        select(PaymentRun.commune_code, PaymentRun.prepared_at, PaymentRun.rules_version).join(
            latest,
            (latest.c.commune_code == PaymentRun.commune_code)
            & (latest.c.month == PaymentRun.month),
        )
    )
    return {code: Previous(at, version) for code, at, version in rows}


def unpaid_benefits(
    connection: Connection, communes: list[str], first: date, last: date
) -> pl.Series:
    """Benefits with a line of a month in [first, last] not collected or returned: owed again."""
    query = (
        select(PaymentLine.benefit_id)
        .join(PaymentRun, PaymentRun.id == PaymentLine.run_id)
        # As written in the index's own condition (migration 0019), so that SQLite uses it.
        .where(PaymentLine.month.between(first, last), text(f"payment_line.{OWED_AGAIN.text}"))
        .distinct()
    )
    found = frames.read_where_in(
        connection, query, PaymentRun.commune_code, communes, {"benefit_id": pl.Int64}
    )
    return found["benefit_id"]


def runs_of(connection: Connection, month: date, communes: list[str]) -> dict[str, Run]:
    rows = connection.execute(
        select(*_RUN_COLUMNS).where(
            PaymentRun.month == month, PaymentRun.commune_code.in_(communes)
        )
    )
    return {row.commune_code: Run(**row._mapping) for row in rows}


_RUN_COLUMNS = (
    PaymentRun.id,
    PaymentRun.month,
    PaymentRun.commune_code,
    PaymentRun.status,
    PaymentRun.lines,
    PaymentRun.total_vnd,
    PaymentRun.prepared_by,
    PaymentRun.prepared_at,
    PaymentRun.approved_by,
    PaymentRun.approved_at,
)


def get_run(connection: Connection, run_id: int) -> Run | None:
    row = connection.execute(select(*_RUN_COLUMNS).where(PaymentRun.id == run_id)).first()
    return Run(**row._mapping) if row else None


def replace_runs(
    connection: Connection,
    month: date,
    lines: pl.DataFrame,
    stale: list[int],
    actor: str,
    stamp: datetime,
    rules_version: str | None = None,
) -> pl.DataFrame:
    """Drop the prepared runs `stale`, then write one run per commune of `lines` and its lines;
    return commune_code, run id, line count and total."""
    for part in frames.chunks(stale):
        connection.execute(delete(PaymentLine).where(PaymentLine.run_id.in_(part)))
        connection.execute(delete(PaymentRun).where(PaymentRun.id.in_(part)))
    totals = (
        lines.group_by("commune_code")
        .agg(pl.len().alias("lines"), pl.col("amount").sum().alias("total_vnd"))
        .sort("commune_code")
    )
    runs = totals.with_columns(
        pl.lit(month).alias("month"),
        pl.lit("prepared").alias("status"),
        pl.lit(actor).alias("prepared_by"),
        pl.lit(stamp).alias("prepared_at"),
        pl.lit(rules_version, pl.String).alias("rules_version"),
    )
    ids = frames.insert_returning_ids(connection, PaymentRun.__table__, runs)  # type: ignore[arg-type]
    runs = runs.with_columns(ids.alias("run_id"))
    rows = lines.join(runs.select("commune_code", "run_id"), on="commune_code").select(
        "run_id",
        pl.col("person_pk").alias("person_id"),
        "benefit_id",
        "programme",
        "category",
        "month",
        "kind",
        "base",
        "coefficient",
        "amount",
        pl.lit("pending").alias("status"),
    )
    frames.insert_frame(connection, PaymentLine.__table__, rows)  # type: ignore[arg-type]
    return runs.select("commune_code", "run_id", "lines", "total_vnd")


def set_run_status(
    connection: Connection, run_id: int, status: str, actor: str, stamp: datetime
) -> None:
    values: dict[str, object] = {"status": status}
    if status == "approved":
        values |= {"approved_by": actor, "approved_at": stamp}
    connection.execute(update(PaymentRun).where(PaymentRun.id == run_id).values(**values))


def mark_lines(
    connection: Connection,
    run_id: int,
    line_ids: list[int],
    status: str,
    actor: str,
    stamp: datetime,
) -> int:
    """Mark some lines of a run; return how many changed."""
    changed = 0
    for part in frames.chunks(line_ids):
        result = connection.execute(
            update(PaymentLine)
            .where(
                PaymentLine.run_id == run_id, PaymentLine.id.in_(part), PaymentLine.status != status
            )
            .values(status=status, marked_by=actor, marked_at=stamp)
        )
        changed += result.rowcount
    return changed


def pending_lines(connection: Connection, run_id: int) -> int:
    return int(
        connection.scalar(
            select(func.count()).where(
                PaymentLine.run_id == run_id, PaymentLine.status == "pending"
            )
        )
        or 0
    )


@dataclass(frozen=True)
class LineRow:
    id: int
    person_code: str
    full_name: str
    birth_date: str | None
    village: str | None
    household_id: int
    programme: str
    category: str
    month: date
    kind: str
    base: int | None
    coefficient: str | None
    amount: int
    status: str


def run_lines(connection: Connection, run_id: int) -> list[LineRow]:
    """A run's lines with who they pay, by village and name: the order a commune signs in."""
    village = select(Unit.name).where(Unit.code == Household.village_code).scalar_subquery()
    rows = connection.execute(
        select(
            PaymentLine.id,
            Person.code,
            Person.full_name,
            Person.birth_date,
            village,
            Household.id,
            PaymentLine.programme,
            PaymentLine.category,
            PaymentLine.month,
            PaymentLine.kind,
            PaymentLine.base,
            PaymentLine.coefficient,
            PaymentLine.amount,
            PaymentLine.status,
        )
        .join(Person, Person.id == PaymentLine.person_id)
        .join(Household, Household.id == Person.household_id)
        .where(PaymentLine.run_id == run_id)
        .order_by(
            Household.village_code,
            Person.name_folded,
            Person.code,
            PaymentLine.month,
            PaymentLine.programme,
            PaymentLine.category,
        )
    )
    return [LineRow(*row) for row in rows]


@dataclass(frozen=True)
class Total:
    commune_code: str
    commune_name: str
    programme: str
    run_id: int
    status: str
    people: int
    amount: int


def month_totals(connection: Connection, month: date, communes: list[str] | None) -> list[Total]:
    """Each commune's run of the month by programme: people paid and the amount, for the
    province's budget; `communes` None for every commune."""
    query = (
        select(
            PaymentRun.commune_code,
            Unit.name,
            PaymentLine.programme,
            PaymentRun.id,
            PaymentRun.status,
            func.count(func.distinct(PaymentLine.person_id)),
            func.sum(PaymentLine.amount),
        )
        .join(PaymentLine, PaymentLine.run_id == PaymentRun.id)
        .join(Unit, Unit.code == PaymentRun.commune_code)
        .where(PaymentRun.month == month)
        .group_by(
            PaymentRun.commune_code,
            Unit.name,
            PaymentLine.programme,
            PaymentRun.id,
            PaymentRun.status,
        )
        .order_by(PaymentRun.commune_code, PaymentLine.programme)
    )
    if communes is not None:
        query = query.where(PaymentRun.commune_code.in_(communes))
    return [Total(*row) for row in connection.execute(query)]


def runs_in(connection: Connection, communes: list[str] | None, limit: int = 200) -> list[Run]:
    """The latest runs of these communes (None: all), newest month first."""
    query = select(*_RUN_COLUMNS).order_by(PaymentRun.month.desc(), PaymentRun.commune_code)
    if communes is not None:
        query = query.where(PaymentRun.commune_code.in_(communes))
    return [Run(**row._mapping) for row in connection.execute(query.limit(limit))]


def person_payments(
    connection: Connection, person_ids: list[int]
) -> dict[int, list[tuple[date, str, str, str, int, str]]]:
    """Each person's payment lines, newest month first: month, programme, category, kind,
    amount, status."""
    rows = connection.execute(
        select(
            PaymentLine.person_id,
            PaymentLine.month,
            PaymentLine.programme,
            PaymentLine.category,
            PaymentLine.kind,
            PaymentLine.amount,
            PaymentLine.status,
        )
        .where(PaymentLine.person_id.in_(person_ids))
        .order_by(PaymentLine.month.desc(), PaymentLine.id.desc())
    )
    found: dict[int, list[tuple[date, str, str, str, int, str]]] = {}
    for person, *line in rows:
        found.setdefault(person, []).append(tuple(line))  # type: ignore[arg-type]
    return found

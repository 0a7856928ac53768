"""The benefit columns of the households template: the categories lists say a person holds.

A cell names a person's categories of one programme, separated by ';'. A category it adds is
recorded without a decision (known, not paid until one is recorded); a category it leaves out
goes, unless a decision granted it: a decided benefit ends only by a decision (its last month
and why), so such a cell is an error found before anything is written. Benefits that ended
are history, never touched here.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, or_, select

from ansinh.domain.codelists import BENEFIT_COLUMNS
from ansinh.problems import ROW, where_explained
from ansinh.store import frames
from ansinh.store.audit import record_changes
from ansinh.store.models import Benefit, Person

KEY = ["person_id", "programme", "category"]
HELD_SCHEMA = {
    "person_id": pl.String,
    "programme": pl.String,
    "category": pl.String,
    "id": pl.Int64,
    "decided": pl.Boolean,
    "current": pl.Boolean,
}


def listed(people: pl.DataFrame) -> pl.DataFrame:
    """person_id, programme, category (and the row) for each category named in a cell."""
    columns = {c: p for c, p in BENEFIT_COLUMNS.items() if c in people.columns}
    parts = [
        people.select(
            ROW,
            "person_id",
            pl.lit(programme).alias("programme"),
            pl.col(column).str.split(";").alias("category"),
        )
        .explode("category")
        .with_columns(pl.col("category").str.strip_chars())
        .filter(pl.col("category") != "")
        for column, programme in columns.items()
    ]
    schema = {ROW: pl.Int64, "person_id": pl.String, "programme": pl.String, "category": pl.String}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def programmes_named(people: pl.DataFrame) -> list[str]:
    return [p for c, p in BENEFIT_COLUMNS.items() if c in people.columns]


def held(connection: Connection, ids: pl.Series, today: date | None = None) -> pl.DataFrame:
    """The benefits these people (registry ids) hold, whether decided and whether current."""
    this_month = (today or date.today()).replace(day=1)
    query = select(
        Person.code,
        Benefit.programme,
        Benefit.category,
        Benefit.id,
        or_(Benefit.decision_no.is_not(None), Benefit.start_month.is_not(None)),
        or_(Benefit.end_month.is_(None), Benefit.end_month >= this_month),
    ).join(Person, Person.id == Benefit.person_id)
    return frames.read_where_in(connection, query, Benefit.person_id, ids, HELD_SCHEMA)


def plan(people: pl.DataFrame, holding: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The categories to add (person_id, programme, category) and to remove (with their id):
    only for the programmes whose column the file has, and the people it names."""
    wanted = listed(people).drop(ROW).unique()
    named = people.select("person_id").unique()
    current = holding.filter(
        pl.col("current") & pl.col("programme").is_in(programmes_named(people))
    ).join(named, on="person_id")
    new = wanted.join(holding, on=KEY, how="anti")
    removed = current.join(wanted, on=KEY, how="anti")
    return new, removed


def decided_removals(people: pl.DataFrame, holding: pl.DataFrame) -> pl.DataFrame:
    """Problems: a cell that leaves out a category a decision granted."""
    _, removed = plan(people, holding)
    decided = removed.filter(pl.col("decided"))
    column_of = {p: c for c, p in BENEFIT_COLUMNS.items()}
    rows = people.select(ROW, "person_id").unique("person_id", keep="first")
    found = decided.join(rows, on="person_id").with_columns(
        pl.col("programme").replace_strict(column_of, default="").alias("_column")
    )
    return pl.concat(
        [
            where_explained(
                found.filter(pl.col("_column") == column),
                pl.lit(True),
                column,
                pl.format(
                    "Chế độ '{}' đã có quyết định: chỉ thôi hưởng bằng quyết định (tháng cuối, "
                    "lý do), không bằng ô trống",
                    pl.col("category"),
                ),
                pl.format(
                    "Benefit '{}' was granted by a decision: it ends by a decision (last month "
                    "and why), not by an empty cell",
                    pl.col("category"),
                ),
            )
            for column in BENEFIT_COLUMNS
        ]
    )


def write(
    connection: Connection, new: pl.DataFrame, removed: pl.DataFrame, actor: str, batch: str
) -> pl.Series:
    """Write the changes, audited; return the registry ids of the households concerned."""
    table = Benefit.__table__
    codes = pl.concat([new["person_id"], removed["person_id"]]).unique()
    ids = frames.read_where_in(
        connection,
        select(Person.code, Person.id, Person.household_id),
        Person.code,
        codes,
        {"person_id": pl.String, "person_pk": pl.Int64, "household_pk": pl.Int64},
    )
    new = new.join(ids, on="person_id")
    removed = removed.join(ids, on="person_id")
    frames.insert_frame(
        connection,
        table,  # type: ignore[arg-type]
        new.select(pl.col("person_pk").alias("person_id"), "programme", "category"),
    )
    for part in frames.chunks(removed["id"].to_list()):
        connection.execute(table.delete().where(table.c.id.in_(part)))  # type: ignore[attr-defined]
    audit = pl.concat(
        [
            new.select(
                _key(),
                pl.lit(None, pl.String).alias("before"),
                _category_json().alias("after"),
                "household_pk",
            ),
            removed.select(
                _key(),
                _category_json().alias("before"),
                pl.lit(None, pl.String).alias("after"),
                "household_pk",
            ),
        ]
    )
    record_changes(
        connection,
        actor=actor,
        action="set",
        entity="benefit",
        changes=audit,
        batch=batch,
        household_column="household_pk",
    )
    return audit["household_pk"].alias("household_id")


def _key() -> pl.Expr:
    return pl.format("{}/{}/{}", "person_id", "programme", "category").alias("entity_key")


def _category_json() -> pl.Expr:
    return pl.struct("category").struct.json_encode()

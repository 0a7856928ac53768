"""Writing benefit decisions: a person's category granted, changed or ended, each audited."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, select

from ansinh.store import frames, household_facts
from ansinh.store.audit import as_json, now, record_changes
from ansinh.store.models import Benefit, Household, Person
from ansinh.store.scope import Scope, household_filter

FIELDS = [
    "decision_no",
    "decision_date",
    "start_month",
    "end_month",
    "end_reason",
    "injury_rate",
    "children",
]
KEY = ["person_id", "programme", "category"]
STORED_SCHEMA = {
    "person_id": pl.String,
    "person_pk": pl.Int64,
    "household_pk": pl.Int64,
    "programme": pl.String,
    "category": pl.String,
    "id": pl.Int64,
    "decision_no": pl.String,
    "decision_date": pl.Date,
    "start_month": pl.Date,
    "end_month": pl.Date,
    "end_reason": pl.String,
    "injury_rate": pl.Int32,
    "children": pl.Int32,
}


def births_in_scope(connection: Connection, scope: Scope, codes: pl.Series) -> pl.DataFrame:
    """person_id and birth_date of the people among `codes` whose household is in `scope`."""
    query = (
        select(Person.code, Person.birth_date)
        .join(Household, Household.id == Person.household_id)
        .where(household_filter(scope))
    )
    return frames.read_where_in(
        connection, query, Person.code, codes, {"person_id": pl.String, "birth_date": pl.String}
    )


def apply_decisions(
    connection: Connection,
    decisions: pl.DataFrame,
    *,
    actor: str,
    batch: str,
    dry_run: bool,
    named: Collection[str] = FIELDS,
) -> dict[str, int]:
    """Insert the categories granted for the first time, update those a decision changes.

    A field whose column the file did not name (`named`: its header) keeps the stored value:
    a file of new decisions without `end_month` does not reopen an ended one.
    """
    people = frames.read_where_in(
        connection,
        select(Person.code, Person.id, Person.household_id),
        Person.code,
        decisions["person_id"],
        {"person_id": pl.String, "person_pk": pl.Int64, "household_pk": pl.Int64},
    )
    stored = _stored(connection, people["person_pk"])
    incoming = decisions.join(people, on="person_id")
    joined = incoming.join(
        stored.select(*KEY, "id", *[pl.col(f).alias(f"_old_{f}") for f in FIELDS]),
        on=KEY,
        how="left",
    ).with_columns(
        pl.when(pl.col("id").is_not_null()).then(pl.col(f"_old_{f}")).otherwise(pl.col(f)).alias(f)
        for f in FIELDS
        if f not in named
    )
    differs = pl.any_horizontal(pl.col(f).ne_missing(pl.col(f"_old_{f}")) for f in FIELDS)
    new = joined.filter(pl.col("id").is_null())
    changed = joined.filter(pl.col("id").is_not_null() & differs)
    if not dry_run:
        _write(connection, new, changed, actor, batch)
    return {"new_decisions": new.height, "changed_decisions": changed.height}


def _stored(connection: Connection, person_pks: pl.Series) -> pl.DataFrame:
    query = select(
        Person.code,
        Person.id,
        Person.household_id,
        Benefit.programme,
        Benefit.category,
        Benefit.id,
        *[getattr(Benefit, f) for f in FIELDS],
    ).join(Person, Person.id == Benefit.person_id)
    return frames.read_where_in(connection, query, Benefit.person_id, person_pks, STORED_SCHEMA)


def _write(
    connection: Connection, new: pl.DataFrame, changed: pl.DataFrame, actor: str, batch: str
) -> None:
    table = Benefit.__table__
    frames.insert_frame(
        connection,
        table,  # type: ignore[arg-type]
        new.select(
            pl.col("person_pk").alias("person_id"), "programme", "category", *FIELDS
        ).with_columns(pl.lit(now()).alias("updated_at")),
    )
    frames.update_by_id(
        connection,
        table,  # type: ignore[arg-type]
        changed.select("id", *FIELDS).with_columns(pl.lit(now()).alias("updated_at")),
    )
    key = pl.format("{}/{}/{}", "person_id", "programme", "category").alias("entity_key")
    shown = ["category", *FIELDS]
    for action, frame in (("create", new), ("update", changed)):
        before = (
            as_json(frame, [f"_old_{f}" for f in FIELDS]).str.replace_all('"_old_', '"')
            if action == "update"
            else pl.lit(None, pl.String)
        )
        audit = frame.select(
            key, before.alias("before"), as_json(frame, shown).alias("after"), "household_pk"
        )
        record_changes(
            connection,
            actor=actor,
            action=action,
            entity="benefit",
            changes=audit,
            batch=batch,
            household_column="household_pk",
        )
    households = pl.concat([new["household_pk"], changed["household_pk"]])
    household_facts.count_again(connection, households.alias("household_id"))


@dataclass(frozen=True)
class Held:
    """A benefit a person holds or held, as the household page shows it."""

    person_id: int
    programme: str
    category: str
    decision_no: str | None
    decision_date: date | None
    start_month: date | None
    end_month: date | None
    end_reason: str | None
    injury_rate: int | None


def held_in(connection: Connection, household_id: int) -> dict[int, list[Held]]:
    """The benefits of each member of the household, current ones first, then by programme and
    category (one read for the household page: its members' column shows them too)."""
    members = select(Person.id).where(Person.household_id == household_id)
    rows = connection.execute(
        select(
            Benefit.person_id,
            Benefit.programme,
            Benefit.category,
            *[getattr(Benefit, f) for f in FIELDS if f != "children"],
        )
        .where(Benefit.person_id.in_(members.scalar_subquery()))
        .order_by(
            Benefit.person_id, Benefit.end_month.is_not(None), Benefit.programme, Benefit.category
        )
    )
    found: dict[int, list[Held]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(Held(*row))
    return found

"""Writing checked households and members into the registry: new, changed, unchanged, audited."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import polars as pl
from sqlalchemy import Connection, select, text

from ansinh.domain.codelists import BENEFIT_COLUMNS
from ansinh.domain.units import TWO_LEVEL_SINCE
from ansinh.problems import ROW, where_explained
from ansinh.store import benefit_lists, frames, household_facts, initial_load
from ansinh.store.audit import as_json, now, record_changes
from ansinh.store.models import Household, Person, Unit
from ansinh.store.name_index import indexed_after

HOUSEHOLD_FIELDS = ["commune_code", "village_code", "address"]
PERSON_FIELDS = [
    "full_name",
    "name_folded",
    "birth_date",
    "sex",
    "citizen_id",
    "ethnicity_code",
    "relation",
    "able_to_work",
    "source",
    "disability",
]
HOUSEHOLD_SCHEMA = {"id": pl.Int64, "code": pl.String} | {f: pl.String for f in HOUSEHOLD_FIELDS}
PERSON_SCHEMA = {
    "id": pl.Int64,
    "code": pl.String,
    "household_code": pl.String,
    "full_name": pl.String,
    "name_folded": pl.String,
    "birth_date": pl.String,
    "sex": pl.String,
    "citizen_id": pl.String,
    "ethnicity_code": pl.String,
    "relation": pl.String,
    "able_to_work": pl.Boolean,
    "source": pl.String,
    "disability": pl.String,
}


# Households planned and written at a time. A whole province's plan at once (3.9 million people)
# held the file, its checked rows and every frame of the plan together: 4.6 GB. A slice of
# 100,000 (about 390,000 people) is read and planned in 0.5 GB; one of 200,000 in 0.8 GB, for no
# faster an import (docs/benchmarks.md, "An import held a part at a time").
SLICE_HOUSEHOLDS = 100_000
COUNTS = [
    "new_villages",
    "new_households",
    "changed_households",
    "new_people",
    "changed_people",
    "benefit_changes",
]
# What the plan reads of a checked file; the rest (the file's own text of codes, say) can go.
PLAN_COLUMNS = [
    ROW,
    "person_id",
    "household_id",
    *PERSON_FIELDS,
    *HOUSEHOLD_FIELDS,
    "village_name",
    *BENEFIT_COLUMNS,
]
HELD_SCHEMA = {
    "code": pl.String,
    "household_code": pl.String,
    "id": pl.Int64,
    "commune_code": pl.String,
}
# The planned fields a file may leave out, each with the file column it comes from. A field
# whose column the file did not name keeps the registry's value: an absent column means "no
# change", and only an empty cell in a present column clears a value.
OPTIONAL_FIELDS = {
    "birth_date": "birth_date",
    "sex": "sex",
    "citizen_id": "citizen_id",
    "ethnicity_code": "ethnicity",
    "able_to_work": "able_to_work",
    "source": "source",
    "disability": "disability",
    "address": "address",
    "village_code": "village_code",
    "village_name": "village_name",
    **{column: column for column in BENEFIT_COLUMNS},
}


@dataclass
class PeoplePlan:
    """What one slice of households would change."""

    households: pl.DataFrame  # with `id` null for new ones and `before` JSON for changed ones
    people: pl.DataFrame
    benefits: pl.DataFrame
    removed_benefits: pl.DataFrame

    def counts(self) -> dict[str, int]:
        def split(frame: pl.DataFrame) -> tuple[int, int]:
            new = frame.filter(pl.col("id").is_null()).height
            return new, frame.height - new

        new_h, changed_h = split(self.households)
        new_p, changed_p = split(self.people)
        return {
            "new_households": new_h,
            "changed_households": changed_h,
            "new_people": new_p,
            "changed_people": changed_p,
            "benefit_changes": self.benefits.height + self.removed_benefits.height,
        }


def _blank_to_null(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).replace("", None) for c in columns if c in frame.columns)


def for_planning(people: pl.DataFrame, named: Collection[str]) -> pl.DataFrame:
    """The columns of a checked file that planning reads, but for the fields whose column the
    file (`named`: its header) left out: planning keeps the registry's value of those."""
    absent = {field for field, column in OPTIONAL_FIELDS.items() if column not in named}
    return people.select(c for c in PLAN_COLUMNS if c in people.columns and c not in absent)


def _present(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    return [c for c in columns if c in frame.columns]


class PeopleSource(Protocol):
    """A checked file's people (the columns of `for_planning`), a slice of whole households at
    a time: held in memory, or kept on disk so that a whole province's file is never held."""

    @property
    def columns(self) -> list[str]: ...

    def households(self) -> pl.DataFrame:
        """`households_of` the whole file."""
        ...

    def slices(self, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """The people of SLICE_HOUSEHOLDS households at a time, as `household_slices` cuts
        them; only `columns` (with ROW and household_id) if given."""
        ...

    def rows(self) -> pl.Series:
        """The file's row numbers of the people held."""
        ...

    def without(self, households: pl.Series) -> PeopleSource:
        """The people but those of `households`."""
        ...


@dataclass(frozen=True)
class PeopleFrame:
    """A checked file's people held in memory."""

    people: pl.DataFrame

    @property
    def columns(self) -> list[str]:
        return self.people.columns

    def households(self) -> pl.DataFrame:
        return households_of(self.people)

    def slices(self, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        people = self.people if columns is None else self.people.select(_with_keys(columns))
        return household_slices(people)

    def rows(self) -> pl.Series:
        return self.people[ROW]

    def without(self, households: pl.Series) -> PeopleSource:
        return PeopleFrame(self.people.filter(~pl.col("household_id").is_in(households.implode())))


def _with_keys(columns: list[str]) -> list[str]:
    return [ROW, "household_id", *(c for c in columns if c not in (ROW, "household_id"))]


def import_people(
    connection: Connection,
    people: pl.DataFrame | PeopleSource,
    *,
    actor: str,
    batch: str,
    dry_run: bool,
) -> dict[str, int]:
    """Plan and (unless `dry_run`) write a conflict-free file, a slice of households at a time.

    All in the caller's transaction, so the file is still written whole or not at all. Slices
    share no household and no person: a slice's plan does not depend on the slices written
    before it, and a dry run counts what the import would write.
    """
    source = as_source(people)
    villages, _ = plan_villages(connection, source.households())
    counts = dict.fromkeys(COUNTS, 0) | {"new_villages": villages.height}
    if not dry_run:
        _write_villages(connection, villages, actor, batch)
    stamp = now()
    with nullcontext() if dry_run else initial_load.indexed_after(connection):
        for part in source.slices():
            plan = plan_people(connection, part)
            if not dry_run:
                apply_people(connection, plan, stamp=stamp, actor=actor, batch=batch)
            for name, value in plan.counts().items():
                counts[name] += value
    return counts


def as_source(people: pl.DataFrame | PeopleSource) -> PeopleSource:
    return PeopleFrame(people) if isinstance(people, pl.DataFrame) else people


def household_slices(people: pl.DataFrame, size: int | None = None) -> Iterator[pl.DataFrame]:
    """The people of `size` households at a time, households in the order the file gives them."""
    size = size or SLICE_HOUSEHOLDS
    if people.select(pl.col("household_id").n_unique()).item() <= size:
        yield people
        return
    number = slice_numbers(people, size)
    for part in number.unique().sort():
        yield people.filter(number == part)


def slice_numbers(people: pl.DataFrame, size: int | None = None) -> pl.Series:
    """Each row's slice: its household's, numbered by the household's first row in the file."""
    first_row = pl.col(ROW).min().over("household_id")
    number = ((first_row.rank("dense") - 1) // (size or SLICE_HOUSEHOLDS)).alias("slice")
    return people.select(number)["slice"]


def households_of(people: pl.DataFrame) -> pl.DataFrame:
    """One row per household: its first row and the fields of its first member."""
    # Not a group_by: grouping 3.9 million rows took 1.3 GB more while it ran, this 0.3 GB.
    first = people.filter(pl.col("household_id").is_first_distinct())
    households = first.select(
        "household_id", ROW, *_present(first, [*HOUSEHOLD_FIELDS, "village_name"])
    )
    return _blank_to_null(households, ["address", "village_code", "village_name"])


def plan_people(connection: Connection, people: pl.DataFrame) -> PeoplePlan:
    """Compare some whole households of a checked file with the registry: only differences."""
    people = _blank_to_null(people, ["birth_date", "citizen_id", "source"])
    households = households_of(people)
    existing_h = frames.read_where_in(
        connection,
        select(Household.id, Household.code, *[getattr(Household, f) for f in HOUSEHOLD_FIELDS]),
        Household.code,
        households["household_id"],
        HOUSEHOLD_SCHEMA,
    )
    household_changes = _changed(
        households.rename({"household_id": "code"}), existing_h, "code", HOUSEHOLD_FIELDS
    )
    ids = held_people(connection, people)["id"]
    existing_p = _existing_people(connection, ids)
    person_rows = people.rename({"person_id": "code", "household_id": "household_code"})
    person_changes = _changed(person_rows, existing_p, "code", [*PERSON_FIELDS, "household_code"])
    benefits, removed = benefit_lists.plan(people, benefit_lists.held(connection, ids))
    return PeoplePlan(household_changes, person_changes, benefits, removed)


def held_people(connection: Connection, people: pl.DataFrame) -> pl.DataFrame:
    """code, household_code, id and commune_code of these people in the registry, if held."""
    query = select(Person.code, Household.code, Person.id, Household.commune_code).join(
        Household, Household.id == Person.household_id
    )
    return frames.read_where_in(connection, query, Person.code, people["person_id"], HELD_SCHEMA)


def plan_villages(
    connection: Connection, households: pl.DataFrame
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    if "village_code" not in households.columns:
        return pl.DataFrame(schema=dict.fromkeys(["code", "parent_code", "name"], pl.String)), []
    if "village_name" not in households.columns:
        households = households.with_columns(pl.lit(None, pl.String).alias("village_name"))
    rows = connection.execute(
        select(Unit.code, Unit.parent_code).where(Unit.level == "village")
    ).all()
    known = pl.DataFrame(
        rows, schema={"village_code": pl.String, "_parent": pl.String}, orient="row"
    )
    named = households.filter(pl.col("village_code").is_not_null()).join(
        known, on="village_code", how="left"
    )
    problems = [
        where_explained(
            named,
            pl.col("_parent").is_null() & pl.col("village_name").is_null(),
            "village_code",
            pl.format("Mã thôn '{}' chưa có; ghi thêm tên thôn để tạo mới", pl.col("village_code")),
            pl.format(
                "Unknown village '{}'; give village_name to create it", pl.col("village_code")
            ),
        ),
        where_explained(
            named,
            pl.col("_parent").is_not_null() & (pl.col("_parent") != pl.col("commune_code")),
            "village_code",
            pl.format("Thôn '{}' thuộc xã khác", pl.col("village_code")),
            pl.format("Village '{}' belongs to another commune", pl.col("village_code")),
        ),
    ]
    new = (
        named.filter(pl.col("_parent").is_null() & pl.col("village_name").is_not_null())
        .unique("village_code", keep="first", maintain_order=True)
        .select(
            pl.col("village_code").alias("code"),
            pl.col("commune_code").alias("parent_code"),
            pl.col("village_name").alias("name"),
        )
    )
    return new, problems


def _existing_people(connection: Connection, ids: pl.Series) -> pl.DataFrame:
    query = select(
        Person.id,
        Person.code,
        Household.code,
        *[getattr(Person, f) for f in PERSON_FIELDS],
    ).join(Household, Household.id == Person.household_id)
    return frames.read_where_in(connection, query, Person.id, ids, PERSON_SCHEMA)


def _changed(
    incoming: pl.DataFrame, existing: pl.DataFrame, key: str, fields: list[str]
) -> pl.DataFrame:
    """New rows (id null) and rows whose fields differ, with the record before as JSON.

    A field `incoming` lacks keeps its value before (null for a new row): it is not compared,
    and an update writes it back as it was.
    """
    before = existing.select("id", key, *[pl.col(f).alias(f"_old_{f}") for f in fields])
    joined = (
        incoming.select(ROW, key, *_present(incoming, fields))
        .join(before, on=key, how="left")
        .with_columns(pl.col(f"_old_{f}").alias(f) for f in fields if f not in incoming.columns)
    )
    differs = pl.any_horizontal(pl.col(f).ne_missing(pl.col(f"_old_{f}")) for f in fields)
    changed = joined.filter(pl.col("id").is_null() | differs)
    return changed.with_columns(
        pl.when(pl.col("id").is_not_null())
        .then(as_json(changed, [f"_old_{f}" for f in fields]).str.replace_all('"_old_', '"'))
        .alias("before")
    ).drop([f"_old_{f}" for f in fields])


def apply_people(
    connection: Connection, plan: PeoplePlan, *, stamp: datetime, actor: str, batch: str
) -> None:
    """Write a slice's plan in the caller's transaction, and audit every record it touches."""
    facts = household_facts.of_new(plan.people, plan.benefits)
    household_ids, counted = _write_households(
        connection, plan.households, facts, stamp, actor, batch
    )
    people = _with_provinces(connection, plan.people, plan.households)
    people_in = _write_people(connection, people, household_ids, stamp, actor, batch)
    benefits_in = benefit_lists.write(
        connection, plan.benefits, plan.removed_benefits, actor, batch
    )
    touched = pl.concat([people_in, benefits_in])
    household_facts.count_again(connection, touched.filter(~touched.is_in(counted.implode())))


def _write_villages(connection: Connection, villages: pl.DataFrame, actor: str, batch: str) -> None:
    rows = villages.with_columns(
        pl.lit("village").alias("level"),
        pl.lit("thôn").alias("division_type"),
        pl.lit(TWO_LEVEL_SINCE).alias("valid_from"),
        pl.lit(None, pl.Date).alias("valid_to"),
        pl.lit(False).alias("legacy"),
    )
    frames.insert_frame(connection, Unit.__table__, rows)  # type: ignore[arg-type]
    audit = rows.select(
        pl.col("code").alias("entity_key"),
        as_json(rows, ["code", "parent_code", "name"]).alias("after"),
        "parent_code",
    )
    record_changes(
        connection, actor=actor, action="create", entity="unit", changes=audit, batch=batch,
        unit_column="parent_code",
    )  # fmt: skip


@dataclass(frozen=True)
class Audit:
    """How one import logs the records of one entity it writes (keyed by their `code`)."""

    connection: Connection
    actor: str
    batch: str
    entity: str
    household_column: str

    def written(self, created: pl.DataFrame, updated: pl.DataFrame, fields: list[str]) -> None:
        """Log the created and the updated records, each with `fields` as it now stands."""
        for action, frame in (("create", created), ("update", updated)):
            record_changes(
                self.connection,
                actor=self.actor,
                action=action,
                entity=self.entity,
                changes=frame.with_columns(pl.col("code").alias("entity_key")),
                batch=self.batch,
                after_columns=fields,
                household_column=self.household_column,
            )


def _write_households(
    connection: Connection,
    changes: pl.DataFrame,
    facts: pl.DataFrame,
    stamp: object,
    actor: str,
    batch: str,
) -> tuple[pl.DataFrame, pl.Series]:
    """Insert new and update changed households; return code -> id for every household touched,
    and the ids of the new ones written with their `facts` (household_facts.of_new)."""
    table = Household.__table__
    new = changes.filter(pl.col("id").is_null()).join(facts, on="code", how="left")
    counted = pl.col("members").is_not_null()
    rows = new.select(
        "code",
        *HOUSEHOLD_FIELDS,
        # A household without its facts here is counted after its people are written.
        *[pl.col(c).fill_null(0) for c in household_facts.COLUMNS if c != "head_ethnicity"],
        "head_ethnicity",
    ).with_columns(pl.lit(stamp).alias("updated_at"))
    new = new.with_columns(frames.insert_returning_ids(connection, table, rows).alias("id"))  # type: ignore[arg-type]
    changed = changes.filter(pl.col("id").is_not_null())
    frames.update_by_id(
        connection,
        table,  # type: ignore[arg-type]
        changed.select("id", *HOUSEHOLD_FIELDS).with_columns(pl.lit(stamp).alias("updated_at")),
    )
    audit = Audit(connection, actor, batch, "household", "id")
    audit.written(new, changed, ["code", *HOUSEHOLD_FIELDS])
    ids = pl.concat([new.select("code", "id"), changed.select("code", "id")])
    return ids, new.filter(counted)["id"]


def _write_people(
    connection: Connection,
    changes: pl.DataFrame,
    household_ids: pl.DataFrame,
    stamp: object,
    actor: str,
    batch: str,
) -> pl.Series:
    """Write the people; return the ids of their households."""
    table = Person.__table__
    known = _household_ids(connection, changes, household_ids)
    changes = changes.join(
        known.rename({"code": "household_code", "id": "household_id"}), on="household_code"
    )
    new = changes.filter(pl.col("id").is_null())
    province = ["province_code"] if "province_code" in new.columns else []
    rows = new.select("code", "household_id", *PERSON_FIELDS, *province).with_columns(
        pl.lit(stamp).alias("updated_at")
    )
    with indexed_after(connection):
        ids = frames.insert_returning_ids(connection, table, rows)  # type: ignore[arg-type]
    new = new.with_columns(ids.alias("id"))
    changed = changes.filter(pl.col("id").is_not_null())
    frames.update_by_id(
        connection,
        table,  # type: ignore[arg-type]
        changed.select("id", *PERSON_FIELDS).with_columns(pl.lit(stamp).alias("updated_at")),
    )
    audit = Audit(connection, actor, batch, "person", "household_id")
    audit.written(new, changed, ["code", "household_code", *PERSON_FIELDS])
    return changes["household_id"].alias("household_id")


def _with_provinces(
    connection: Connection, people: pl.DataFrame, households: pl.DataFrame
) -> pl.DataFrame:
    """On PostgreSQL, the province of each person whose household this slice writes: the key of
    the name index (migration 0028), written with the row so that the insert trigger, which
    looks it up for a person written alone, is not called for each of a province's millions.
    A person added to a household the slice leaves as it was gets it from the trigger."""
    if connection.dialect.name != "postgresql":
        return people
    communes = households.select("code", "commune_code")
    codes = communes["commune_code"].unique().drop_nulls()
    found = connection.execute(
        text("SELECT code, unit_province(code) FROM unit WHERE code = ANY(:codes)"),
        {"codes": codes.to_list()},
    ).all()
    provinces = pl.DataFrame(
        found, schema={"commune_code": pl.String, "province_code": pl.String}, orient="row"
    )
    held = communes.join(provinces, on="commune_code").select(
        pl.col("code").alias("household_code"), "province_code"
    )
    return people.join(held, on="household_code", how="left")


def _household_ids(
    connection: Connection, changes: pl.DataFrame, touched: pl.DataFrame
) -> pl.DataFrame:
    """code -> id for the households of the changed people, whether or not they changed."""
    missing = (
        changes.select("household_code")
        .unique()
        .join(touched.rename({"code": "household_code"}), on="household_code", how="anti")
    )
    held = frames.read_where_in(
        connection,
        select(Household.code, Household.id),
        Household.code,
        missing["household_code"],
        {"code": pl.String, "id": pl.Int64},
    )
    return pl.concat([touched, held])

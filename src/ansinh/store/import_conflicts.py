"""What a checked file would break in the registry, told without naming what lies outside the
caller's units, and the attempts that named such records, for the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.codelists import BENEFIT_COLUMNS
from ansinh.problems import ROW, where_explained
from ansinh.store import benefit_lists, frames
from ansinh.store.audit import record_changes
from ansinh.store.models import Household, Person
from ansinh.store.people_import import PeopleSource, as_source, held_people, plan_villages
from ansinh.store.scope import WHOLE_REGISTRY, Scope

# A conflict with a record outside the caller's units is logged under this action, in the unit
# of the record named: its inspectors see who tried which of their records.
PROBE_ACTION = "conflict"
PROBE_SCHEMA = {
    ROW: pl.Int64,
    "column": pl.String,
    "entity_key": pl.String,
    "unit_code": pl.String,
}


@dataclass
class Conflicts:
    """The problems a file would cause, and those of them naming a record outside the scope."""

    problems: list[pl.DataFrame] = field(default_factory=list)
    probes: list[pl.DataFrame] = field(default_factory=list)

    def probe_frame(self) -> pl.DataFrame:
        return pl.concat([pl.DataFrame(schema=PROBE_SCHEMA), *self.probes]).sort(ROW, "column")


def find_conflicts(
    connection: Connection,
    people: pl.DataFrame | PeopleSource,
    scope: Scope = WHOLE_REGISTRY,
) -> Conflicts:
    """What the whole file would break, found against the registry before anything is written.

    An import never guesses: a row may only update the record it names. Read a slice of
    households at a time, as they are written: the registry's copy of a whole re-imported
    province (3.9 million people) held beside the file raised the peak by 340 MB. A record of a
    commune outside `scope` is said to exist, never named: else a dry run would tell anyone
    whose citizen ID, or which household's person, a code is.
    """
    source = as_source(people)
    _, village_problems = plan_villages(connection, source.households())
    found = Conflicts(village_problems)
    citizen_ids = ["citizen_id"] if "citizen_id" in source.columns else []
    benefit_cells = [c for c in BENEFIT_COLUMNS if c in source.columns]
    for part in source.slices(["person_id", *citizen_ids, *benefit_cells]):
        holders = held_people(connection, part)
        _moved(found, part, holders, scope)
        if citizen_ids:
            _citizen_id_taken(found, connection, part, scope)
        if benefit_cells:
            holding = benefit_lists.held(connection, holders["id"])
            found.problems.append(benefit_lists.decided_removals(part, holding))
    return found


def _within(scope: Scope, commune: str) -> pl.Expr:
    if scope.communes is None:
        return pl.lit(True)
    return pl.col(commune).is_in(sorted(scope.communes))


def _split(
    found: Conflicts,
    clashes: pl.DataFrame,
    scope: Scope,
    column: str,
    named: tuple[pl.Expr, pl.Expr],
    unnamed: tuple[pl.Expr, pl.Expr],
) -> None:
    """Report `clashes` (with `_key` and `_commune` of the record clashed with): naming it within
    the scope, only saying it exists outside, where the attempt is also kept for the log."""
    inside = _within(scope, "_commune")
    found.problems.append(where_explained(clashes, inside, column, *named))
    found.problems.append(where_explained(clashes, ~inside, column, *unnamed))
    found.probes.append(
        clashes.filter(~inside.fill_null(False)).select(
            ROW,
            pl.lit(column).alias("column"),
            pl.col("_key").alias("entity_key"),
            pl.col("_commune").alias("unit_code"),
        )
    )


def _moved(found: Conflicts, people: pl.DataFrame, held: pl.DataFrame, scope: Scope) -> None:
    clashes = (
        people.select(ROW, "person_id", "household_id")
        .join(
            held.select(pl.col("code").alias("person_id"), "household_code", "commune_code"),
            on="person_id",
        )
        .filter(pl.col("household_code") != pl.col("household_id"))
        .with_columns(pl.col("person_id").alias("_key"), pl.col("commune_code").alias("_commune"))
    )
    person, household = pl.col("person_id"), pl.col("household_code")
    _split(
        found,
        clashes,
        scope,
        "household_id",
        (
            pl.format(
                "Người '{}' đã thuộc hộ '{}' trong sổ; tệp nhập không chuyển người sang hộ khác",
                person,
                household,
            ),
            pl.format(
                "Person '{}' already belongs to household '{}'; an import does not move people",
                person,
                household,
            ),
        ),
        (
            pl.format(
                "Người '{}' đã thuộc một hộ khác, ngoài phạm vi của tài khoản; tệp nhập không "
                "chuyển người sang hộ khác",
                person,
            ),
            pl.format(
                "Person '{}' already belongs to another household, outside your account's "
                "units; an import does not move people",
                person,
            ),
        ),
    )


def _citizen_id_taken(
    found: Conflicts, connection: Connection, people: pl.DataFrame, scope: Scope
) -> None:
    stated = people.select(ROW, "person_id", "citizen_id").filter(pl.col("citizen_id") != "")
    holders = frames.read_where_in(
        connection,
        select(Person.citizen_id, Person.code, Household.commune_code).join(
            Household, Household.id == Person.household_id
        ),
        Person.citizen_id,
        stated["citizen_id"],
        {"citizen_id": pl.String, "_key": pl.String, "_commune": pl.String},
    )
    clashes = stated.join(holders, on="citizen_id").filter(pl.col("_key") != pl.col("person_id"))
    _split(
        found,
        clashes,
        scope,
        "citizen_id",
        (
            pl.format("Số định danh này đã thuộc người '{}' trong sổ", pl.col("_key")),
            pl.format("This citizen id already belongs to person '{}'", pl.col("_key")),
        ),
        (
            pl.lit("Số định danh này đã thuộc một người khác, ngoài phạm vi của tài khoản"),
            pl.lit(
                "This citizen id already belongs to another person, outside your account's units"
            ),
        ),
    )


def record_probes(
    connection: Connection, probes: pl.DataFrame, *, actor: str, batch: str, file: str
) -> None:
    """Log each row that named a record outside the caller's units, in that record's unit."""
    if probes.is_empty():
        return
    where = [json.dumps({"file": file, "row": row, "column": column}, ensure_ascii=False)
             for row, column in probes.select(ROW, "column").iter_rows()]  # fmt: skip
    record_changes(
        connection,
        actor=actor,
        action=PROBE_ACTION,
        entity="person",
        changes=probes.with_columns(pl.Series("after", where, pl.String)),
        batch=batch,
        unit_column="unit_code",
    )

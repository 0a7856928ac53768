"""Monitoring data in the registry: each kind's rows merged, audited and scoped by unit, and
read back for the reports and pages (within the reader's units)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, cast

import polars as pl
from sqlalchemy import ColumnElement, Connection, Select, Table, func, select, true

from ansinh.domain.monitoring.finance import DISBURSEMENT_SCHEMA, PLAN_SCHEMA
from ansinh.domain.monitoring.ntm import EVALUATION_SCHEMA, RECOGNITION_SCHEMA
from ansinh.domain.monitoring.projects import PROJECT_SCHEMA
from ansinh.domain.monitoring.targets import COMPARATOR_NAMES, Observation, Target
from ansinh.store import frames
from ansinh.store.models import Unit
from ansinh.store.monitoring_models import (
    MonitoringObservation,
    MonitoringTarget,
    NtmEvaluation,
    NtmRecognition,
    ProgrammeDisbursement,
    ProgrammePlan,
    ProgrammeProject,
)
from ansinh.store.monitoring_rows import SCOPE, RowKind, merge_rows

TARGETS = cast(Table, MonitoringTarget.__table__)
OBSERVATIONS = cast(Table, MonitoringObservation.__table__)
PLANS = cast(Table, ProgrammePlan.__table__)
DISBURSEMENTS = cast(Table, ProgrammeDisbursement.__table__)
EVALUATIONS = cast(Table, NtmEvaluation.__table__)
RECOGNITIONS = cast(Table, NtmRecognition.__table__)
PROJECTS = cast(Table, ProgrammeProject.__table__)
MONITORING_TABLES = (
    "monitoring_target",
    "monitoring_observation",
    "programme_plan",
    "programme_disbursement",
    "ntm_evaluation",
    "ntm_recognition",
    "programme_project",
)
DISBURSEMENT_KEY = ["programme", "capital_type", "plan_year", "unit_code", "project", "date"]
# Units a reader's rows are limited to (codes of `scope_code`); None: every row.
Units = Collection[str] | None

PLAN_KIND = RowKind(
    PLANS, tuple(c for c in PLAN_SCHEMA if c != "amount_vnd"), ("plan_year", "unit_code")
)
DISBURSEMENT_KIND = RowKind(DISBURSEMENTS, (*DISBURSEMENT_KEY, "seq"), ("plan_year", "unit_code"))
EVALUATION_KIND = RowKind(
    EVALUATIONS, ("commune_code", "year", "criterion"), ("year", "commune_code")
)
RECOGNITION_KIND = RowKind(RECOGNITIONS, ("unit_code", "level"), ("unit_code",))
TARGET_KIND = RowKind(TARGETS, ("target_id", "unit_code"), ("target_id", "unit_code"))
OBSERVATION_KEY = ("target_id", "unit_code", "year")
OBSERVATION_KIND = RowKind(OBSERVATIONS, OBSERVATION_KEY, OBSERVATION_KEY)
PROJECT_KIND = RowKind(PROJECTS, ("project_code",), ("project_code",))


def unit_scopes(connection: Connection, codes: Sequence[str]) -> dict[str, str]:
    """The scope unit of each code the registry holds: itself, or a village's commune."""
    query = select(Unit.code, Unit.level, Unit.parent_code)
    found = frames.read_where_in(
        connection, query, Unit.code, list(codes),
        {"code": pl.String, "level": pl.String, "parent_code": pl.String},
    )  # fmt: skip
    return {
        code: parent if level == "village" and parent else code
        for code, level, parent in found.iter_rows()
    }


def with_scope(
    connection: Connection, rows: pl.DataFrame, unit_columns: Sequence[str], within: str | None
) -> pl.DataFrame:
    """`rows` with `scope_code`: the first of `unit_columns` the registry holds, else `within`."""
    codes = pl.concat([rows[c].cast(pl.String) for c in unit_columns]).unique().drop_nulls()
    scopes = unit_scopes(connection, codes.to_list())
    found = [pl.col(c).cast(pl.String).replace_strict(scopes, default=None) for c in unit_columns]
    return rows.with_columns(pl.coalesce([*found, pl.lit(within, pl.String)]).alias(SCOPE))


def _scoped(connection: Connection, rows: pl.DataFrame, *units: str) -> pl.DataFrame:
    return rows if SCOPE in rows.columns else with_scope(connection, rows, units, None)


def save_plans(
    connection: Connection, plans: pl.DataFrame, actor: str, batch: str | None = None
) -> dict[str, int]:
    rows = _scoped(connection, plans, "unit_code").select(*PLAN_SCHEMA, SCOPE)
    return merge_rows(connection, PLAN_KIND, rows, actor=actor, batch=batch).counts


def disbursement_rows(disbursements: pl.DataFrame) -> pl.DataFrame:
    """Disbursements with `seq`: the order of equal rows of one key and day, as given."""
    return disbursements.select(*DISBURSEMENT_SCHEMA, SCOPE).with_columns(
        pl.int_range(pl.len()).over(DISBURSEMENT_KEY).cast(pl.Int16).alias("seq")
    )


def save_disbursements(
    connection: Connection, disbursements: pl.DataFrame, actor: str, batch: str | None = None
) -> dict[str, int]:
    rows = disbursement_rows(_scoped(connection, disbursements, "unit_code"))
    return merge_rows(connection, DISBURSEMENT_KIND, rows, actor=actor, batch=batch).counts


def evaluation_rows(evaluations: pl.DataFrame) -> pl.DataFrame:
    return evaluations.select(*EVALUATION_SCHEMA, SCOPE).with_columns(
        pl.col("met").cast(pl.Boolean)
    )


def save_evaluations(
    connection: Connection, evaluations: pl.DataFrame, actor: str, batch: str | None = None
) -> dict[str, int]:
    rows = evaluation_rows(_scoped(connection, evaluations, "commune_code", "parent_code"))
    return merge_rows(connection, EVALUATION_KIND, rows, actor=actor, batch=batch).counts


def save_recognitions(
    connection: Connection, recognitions: pl.DataFrame, actor: str, batch: str | None = None
) -> dict[str, int]:
    scoped = _scoped(connection, recognitions, "unit_code", "parent_code")
    rows = scoped.select(*RECOGNITION_SCHEMA, SCOPE)
    return merge_rows(connection, RECOGNITION_KIND, rows, actor=actor, batch=batch).counts


TARGET_SCHEMA: dict[str, Any] = {
    "target_id": pl.String,
    "unit_code": pl.String,
    "target_group": pl.String,
    "name": pl.String,
    "unit_of_measure": pl.String,
    "baseline_value": pl.String,
    "baseline_year": pl.Int32,
    "target_value": pl.String,
    "comparator": pl.String,
    "tolerance": pl.String,
    "deadline_year": pl.Int32,
    "indicator": pl.String,
}


def target_frame(
    targets: Sequence[Target], indicators: dict[str, str] | None = None
) -> pl.DataFrame:
    """Targets as stored rows; `indicators` names the registry indicator of some target ids."""
    named = indicators or {}
    return pl.DataFrame(
        [
            (
                t.target_id,
                t.unit_code,
                t.group,
                t.name,
                t.unit_of_measure,
                _text(t.baseline_value),
                t.baseline_year,
                _text(t.target_value),
                t.comparator.value,
                _text(t.tolerance),
                t.deadline_year,
                named.get(t.target_id),
            )
            for t in targets
        ],
        schema=TARGET_SCHEMA,
        orient="row",
    )


def save_targets(
    connection: Connection,
    targets: Sequence[Target] | pl.DataFrame,
    actor: str,
    batch: str | None = None,
) -> dict[str, int]:
    frame = targets if isinstance(targets, pl.DataFrame) else target_frame(targets)
    rows = _scoped(connection, frame, "unit_code").select(*TARGET_SCHEMA, SCOPE)
    return merge_rows(connection, TARGET_KIND, rows, actor=actor, batch=batch).counts


OBSERVATION_SCHEMA: dict[str, Any] = {
    "target_id": pl.String,
    "unit_code": pl.String,
    "year": pl.Int32,
    "value": pl.String,
    "source": pl.String,
}


def observation_frame(observations: Sequence[Observation], source: str | None) -> pl.DataFrame:
    return pl.DataFrame(
        [(o.target_id, o.unit_code, o.year, _text(o.value), source) for o in observations],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )


def save_observations(
    connection: Connection,
    observations: Sequence[Observation] | pl.DataFrame,
    actor: str,
    batch: str | None = None,
    source: str | None = None,
) -> dict[str, int]:
    frame = (
        observations
        if isinstance(observations, pl.DataFrame)
        else observation_frame(observations, source)
    )
    rows = _scoped(connection, frame, "unit_code").select(*OBSERVATION_SCHEMA, SCOPE)
    return merge_rows(connection, OBSERVATION_KIND, rows, actor=actor, batch=batch).counts


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _within(table: Table, units: Units) -> ColumnElement[bool]:
    return true() if units is None else table.c[SCOPE].in_(sorted(units))


def _read(connection: Connection, query: Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return frames.read_frame(connection, query, schema)


def load_plans(connection: Connection, plan_year: int | None, units: Units = None) -> pl.DataFrame:
    """The plan lines of a year (None: of every year) within `units`."""
    year = true() if plan_year is None else PLANS.c.plan_year == plan_year
    query = select(*(PLANS.c[c] for c in PLAN_SCHEMA)).where(year, _within(PLANS, units))
    return _read(connection, query, PLAN_SCHEMA)


def load_disbursements(connection: Connection, plan_year: int, units: Units = None) -> pl.DataFrame:
    table = DISBURSEMENTS
    query = (
        select(*(table.c[c] for c in DISBURSEMENT_SCHEMA))
        .where(table.c.plan_year == plan_year, _within(table, units))
        .order_by(table.c.seq, table.c.id)  # equal rows keep their order (and so their `seq`)
    )
    return _read(connection, query, DISBURSEMENT_SCHEMA)


def load_evaluations(connection: Connection, year: int, units: Units = None) -> pl.DataFrame:
    table = EVALUATIONS
    query = select(*(table.c[c] for c in EVALUATION_SCHEMA)).where(
        table.c.year == year, _within(table, units)
    )
    schema: dict[str, Any] = dict(EVALUATION_SCHEMA) | {"met": pl.Boolean}
    return _read(connection, query, schema).with_columns(pl.col("met").cast(pl.Int8))


def load_recognitions(connection: Connection, units: Units = None) -> pl.DataFrame:
    table = RECOGNITIONS
    query = select(*(table.c[c] for c in RECOGNITION_SCHEMA)).where(_within(table, units))
    return _read(connection, query, RECOGNITION_SCHEMA)


def load_targets(connection: Connection, units: Units = None) -> list[Target]:
    query = select(TARGETS).where(_within(TARGETS, units)).order_by(TARGETS.c.id)
    return [
        Target(
            target_id=r["target_id"],
            group=r["target_group"],
            name=r["name"],
            unit_of_measure=r["unit_of_measure"],
            baseline_value=None if r["baseline_value"] is None else Decimal(r["baseline_value"]),
            baseline_year=r["baseline_year"],
            target_value=Decimal(r["target_value"]),
            comparator=COMPARATOR_NAMES[r["comparator"]],
            tolerance=Decimal(r["tolerance"]),
            deadline_year=r["deadline_year"],
            unit_code=r["unit_code"],
        )
        for r in connection.execute(query).mappings()
    ]


def target_indicators(connection: Connection) -> pl.DataFrame:
    """`target_id`, `unit_code`, `indicator`, `scope_code` of the stored targets the registry
    observes."""
    table = TARGETS
    query = select(table.c.target_id, table.c.unit_code, table.c.indicator, table.c[SCOPE]).where(
        table.c.indicator.is_not(None)
    )
    schema = {"target_id": pl.String, "unit_code": pl.String, "indicator": pl.String}
    schema |= {SCOPE: pl.String}
    return _read(connection, query, schema)


def load_observations(connection: Connection, units: Units = None) -> list[Observation]:
    table = OBSERVATIONS
    query = select(table.c.target_id, table.c.unit_code, table.c.year, table.c.value).where(
        _within(table, units)
    )
    return [Observation(t, u, y, Decimal(v)) for t, u, y, v in connection.execute(query)]


def observation_sources(
    connection: Connection, units: Units = None
) -> dict[tuple[str, str, int], str]:
    """Where each stored observation comes from, by (target_id, unit_code, year)."""
    table = OBSERVATIONS
    query = select(table.c.target_id, table.c.unit_code, table.c.year, table.c.source).where(
        _within(table, units), table.c.source.is_not(None)
    )
    return {(t, u, y): s for t, u, y, s in connection.execute(query)}


def latest_year(connection: Connection, table: Table, column: str, units: Units) -> int | None:
    found = connection.execute(
        select(func.max(table.c[column])).where(_within(table, units))
    ).scalar()
    return None if found is None else int(found)


def plan_years(connection: Connection, units: Units = None) -> list[int]:
    """The plan years stored, in order."""
    query = select(PLANS.c.plan_year).where(_within(PLANS, units)).distinct()
    return sorted(int(y) for y in connection.scalars(query))


def load_projects(connection: Connection, units: Units = None) -> pl.DataFrame:
    query = select(*(PROJECTS.c[c] for c in PROJECT_SCHEMA)).where(_within(PROJECTS, units))
    return _read(connection, query, PROJECT_SCHEMA)


def project_scopes(connection: Connection, units: Units = None) -> pl.DataFrame:
    """Each stored project's unit in the registry (`scope_code`)."""
    query = select(PROJECTS.c.project_code, PROJECTS.c[SCOPE]).where(_within(PROJECTS, units))
    return _read(connection, query, {"project_code": pl.String, SCOPE: pl.String})

"""Monitoring data in the registry: audited replacement of targets, observations, plans,
disbursements and NTM evaluations, and the indicators the registry itself computes."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

import polars as pl
from sqlalchemy import Connection, Table, delete, select

from ansinh.domain.monitoring.catalog import TargetSet
from ansinh.domain.monitoring.finance import DISBURSEMENT_SCHEMA, PLAN_SCHEMA
from ansinh.domain.monitoring.ntm import EVALUATION_SCHEMA
from ansinh.domain.monitoring.targets import COMPARATOR_NAMES, Observation, Target
from ansinh.store import frames
from ansinh.store.audit import as_json, record_changes
from ansinh.store.models import ReviewRun, ReviewSummary
from ansinh.store.monitoring_models import (
    MonitoringObservation,
    MonitoringTarget,
    NtmEvaluation,
    ProgrammeDisbursement,
    ProgrammePlan,
)

TARGETS = cast(Table, MonitoringTarget.__table__)
OBSERVATIONS = cast(Table, MonitoringObservation.__table__)
PLANS = cast(Table, ProgrammePlan.__table__)
DISBURSEMENTS = cast(Table, ProgrammeDisbursement.__table__)
EVALUATIONS = cast(Table, NtmEvaluation.__table__)
MONITORING_TABLES = (
    "monitoring_target",
    "monitoring_observation",
    "programme_plan",
    "programme_disbursement",
    "ntm_evaluation",
)
UNIT = "_unit"  # the unit of a changed row, for its audit entry
DISBURSEMENT_KEY = ["programme", "capital_type", "plan_year", "unit_code", "project", "date"]


def replace_rows(
    connection: Connection,
    table: Table,
    rows: pl.DataFrame,
    *,
    scope: str,
    key: Sequence[str],
    actor: str,
    batch: str | None = None,
) -> dict[str, int]:
    """Make the stored rows whose `scope` value appears in `rows` equal to `rows`, audited.

    A file is the whole picture of its scope (a plan year, an evaluation year, a target):
    rows no longer in it are deleted, new ones created, changed ones updated — each logged.
    """
    values = rows[scope].unique().to_list()
    columns = list(rows.columns)
    old = frames.read_where_in(
        connection,
        select(*(table.c[c] for c in columns)),
        table.c[scope],
        values,
        dict(rows.schema),
    )
    entity, keys = table.name, list(key)
    entity_key = pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator="/")
    unit = [pl.col("unit_code").alias(UNIT)] if "unit_code" in columns else []
    before = old.select(
        entity_key.alias("entity_key"), as_json(old, columns).alias("before"), *unit
    )
    after = rows.select(entity_key.alias("entity_key"), as_json(rows, columns).alias("after"))
    both = before.join(after, on="entity_key", how="full", coalesce=True)
    if unit:  # each change belongs to its row's unit, taken from the row before or after it
        both = both.join(
            rows.select(entity_key.alias("entity_key"), pl.col("unit_code").alias(f"{UNIT}_new")),
            on="entity_key",
            how="left",
        ).with_columns(pl.coalesce(f"{UNIT}_new", UNIT).alias(UNIT))
    counts = {}
    for action, which in (
        ("create", pl.col("before").is_null()),
        ("delete", pl.col("after").is_null()),
        ("update", pl.col("before") != pl.col("after")),
    ):
        changed = both.filter(which.fill_null(False))
        counts[action] = record_changes(
            connection, actor=actor, action=action, entity=entity, changes=changed, batch=batch,
            unit_column=UNIT if unit else None,
        )  # fmt: skip
    for part in frames.chunks(values):
        connection.execute(delete(table).where(table.c[scope].in_(part)))
    frames.insert_frame(connection, table, rows)
    return counts


def save_plans(connection: Connection, plans: pl.DataFrame, actor: str) -> dict[str, int]:
    rows = plans.select(list(PLAN_SCHEMA))
    key = [c for c in PLAN_SCHEMA if c != "amount_vnd"]
    return replace_rows(connection, PLANS, rows, scope="plan_year", key=key, actor=actor)


def save_disbursements(
    connection: Connection, disbursements: pl.DataFrame, actor: str
) -> dict[str, int]:
    rows = disbursements.select(list(DISBURSEMENT_SCHEMA)).with_columns(
        pl.int_range(pl.len()).over(DISBURSEMENT_KEY).cast(pl.Int16).alias("seq")
    )
    key = [*DISBURSEMENT_KEY, "seq"]
    return replace_rows(connection, DISBURSEMENTS, rows, scope="plan_year", key=key, actor=actor)


def save_evaluations(
    connection: Connection, evaluations: pl.DataFrame, actor: str
) -> dict[str, int]:
    rows = evaluations.select(list(EVALUATION_SCHEMA)).with_columns(pl.col("met").cast(pl.Boolean))
    key = ["commune_code", "year", "criterion"]
    return replace_rows(connection, EVALUATIONS, rows, scope="year", key=key, actor=actor)


def save_targets(connection: Connection, targets: Sequence[Target], actor: str) -> dict[str, int]:
    rows = pl.DataFrame(
        [
            {
                "target_id": t.target_id,
                "unit_code": t.unit_code,
                "target_group": t.group,
                "name": t.name,
                "unit_of_measure": t.unit_of_measure,
                "baseline_value": _text(t.baseline_value),
                "baseline_year": t.baseline_year,
                "target_value": _text(t.target_value),
                "comparator": t.comparator.value,
                "tolerance": _text(t.tolerance),
                "deadline_year": t.deadline_year,
            }
            for t in targets
        ],
        schema_overrides={"baseline_year": pl.Int32, "baseline_value": pl.String},
    )
    key = ["target_id", "unit_code"]
    return replace_rows(connection, TARGETS, rows, scope="target_id", key=key, actor=actor)


def save_observations(
    connection: Connection, observations: Sequence[Observation], actor: str
) -> dict[str, int]:
    rows = pl.DataFrame(
        [(o.target_id, o.unit_code, o.year, _text(o.value)) for o in observations],
        schema={
            "target_id": pl.String,
            "unit_code": pl.String,
            "year": pl.Int32,
            "value": pl.String,
        },
        orient="row",
    )
    key = ["target_id", "unit_code", "year"]
    return replace_rows(connection, OBSERVATIONS, rows, scope="target_id", key=key, actor=actor)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def load_plans(connection: Connection, plan_year: int) -> pl.DataFrame:
    query = select(*(PLANS.c[c] for c in PLAN_SCHEMA)).where(PLANS.c.plan_year == plan_year)
    return frames.read_frame(connection, query, PLAN_SCHEMA)


def load_disbursements(connection: Connection, plan_year: int) -> pl.DataFrame:
    table = DISBURSEMENTS
    query = select(*(table.c[c] for c in DISBURSEMENT_SCHEMA)).where(table.c.plan_year == plan_year)
    return frames.read_frame(connection, query, DISBURSEMENT_SCHEMA)


def load_evaluations(connection: Connection, year: int) -> pl.DataFrame:
    table = EVALUATIONS
    query = select(*(table.c[c] for c in EVALUATION_SCHEMA)).where(table.c.year == year)
    schema: dict[str, Any] = dict(EVALUATION_SCHEMA) | {"met": pl.Boolean}
    return frames.read_frame(connection, query, schema).with_columns(pl.col("met").cast(pl.Int8))


def load_targets(connection: Connection) -> list[Target]:
    rows = connection.execute(select(TARGETS).order_by(TARGETS.c.id)).mappings()
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
        for r in rows
    ]


def load_observations(connection: Connection) -> list[Observation]:
    table = OBSERVATIONS
    query = select(table.c.target_id, table.c.unit_code, table.c.year, table.c.value)
    return [Observation(t, u, y, Decimal(v)) for t, u, y, v in connection.execute(query)]


# Indicators the registry computes from the yearly review (store/review.py), as percentages or
# counts: (group_kind, group_value, formula over the summary's columns).
_SHARE_ABOVE = (
    pl.col("households") - pl.col("poor_households") - pl.col("near_poor_households")
) / pl.col("households")
INDICATORS: dict[str, tuple[str, str, pl.Expr]] = {
    "poverty_rate": ("all", "all", pl.col("poor_households") / pl.col("households") * 100),
    "near_poor_rate": ("all", "all", pl.col("near_poor_households") / pl.col("households") * 100),
    "ethnic_minority_poverty_rate": (
        "ethnic_minority",
        "minority",
        pl.col("poor_households") / pl.col("households") * 100,
    ),
    "meritorious_poor_households": (
        "meritorious",
        "with_meritorious",
        pl.col("poor_households").cast(pl.Float64),
    ),
    # At or above the average living standard: neither poor nor near-poor (Decree 07/2021, art. 3).
    "meritorious_average_share": ("meritorious", "with_meritorious", _SHARE_ABOVE * 100),
}


def registry_indicators(connection: Connection) -> pl.DataFrame:
    """`indicator`, `unit_code`, `year`, `value` from every year's current review run."""
    summary, runs = ReviewSummary.__table__, ReviewRun.__table__
    columns = ["households", "poor_households", "near_poor_households"]
    query = (
        select(
            runs.c.year,
            summary.c.unit_code,
            summary.c.group_kind,
            summary.c.group_value,
            *(summary.c[c] for c in columns),
        )
        .join(runs, runs.c.id == summary.c.run_id)
        .where(runs.c.current.is_(True), summary.c.households > 0)
    )
    schema = {"year": pl.Int32, "unit_code": pl.String, "group_kind": pl.String}
    schema |= {"group_value": pl.String} | {c: pl.Int64 for c in columns}
    found = frames.read_frame(connection, query, schema)
    parts = [
        found.filter((pl.col("group_kind") == kind) & (pl.col("group_value") == value)).select(
            pl.lit(name).alias("indicator"), "unit_code", "year", formula.round(4).alias("value")
        )
        for name, (kind, value, formula) in INDICATORS.items()
    ]
    return pl.concat(parts).sort("indicator", "unit_code", "year")


def registry_observations(connection: Connection, target_set: TargetSet) -> list[Observation]:
    """Observations of a target set's targets that name a registry indicator."""
    computed = registry_indicators(connection)
    wanted = pl.DataFrame(
        [
            (t.target_id, t.unit_code, target_set.indicators[t.target_id])
            for t in target_set.targets
            if t.target_id in target_set.indicators
        ],
        schema={"target_id": pl.String, "unit_code": pl.String, "indicator": pl.String},
        orient="row",
    )
    matched = wanted.join(computed, on=["indicator", "unit_code"])
    return [
        Observation(t, u, y, Decimal(str(v)))
        for t, u, y, v in matched.select("target_id", "unit_code", "year", "value").iter_rows()
    ]

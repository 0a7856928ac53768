"""Writing checked review questionnaires into the registry: new, changed, unchanged, audited."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select

from ansinh.problems import ROW
from ansinh.store import frames
from ansinh.store.audit import as_json, now, record_changes
from ansinh.store.models import SURVEY_INDICATORS, Household, Survey
from ansinh.store.scope import Scope, household_filter

INDICATOR_COLUMNS = [f"deprived_{key}" for key in SURVEY_INDICATORS]
FIELDS = ["year", "area", "income_per_capita", *INDICATOR_COLUMNS]
SURVEY = Survey.__table__
SCHEMA = {
    "id": pl.Int64,
    "household_pk": pl.Int64,
    "survey_date": pl.Date,
    "year": pl.Int32,
    "area": pl.String,
    "income_per_capita": pl.Int64,
} | {c: pl.Int16 for c in INDICATOR_COLUMNS}


def known_households(connection: Connection, scope: Scope) -> pl.DataFrame:
    """The code (`household_id`, as the files name it) and id (`household_pk`) of every
    household in the scope: read once, for the checks, the plan and the writing."""
    query = select(Household.code, Household.id).where(household_filter(scope))
    return frames.read_frame(
        connection, query, {"household_id": pl.String, "household_pk": pl.Int64}
    )


def plan_surveys(
    connection: Connection, surveys: pl.DataFrame, households: pl.DataFrame
) -> pl.DataFrame:
    """New questionnaires (id null) and changed ones (with `before` JSON), with their
    household's id (`household_pk`, from `known_households`); unchanged dropped."""
    surveys = surveys.join(households, on="household_id")
    query = select(
        SURVEY.c.id,
        SURVEY.c.household_id.label("household_pk"),
        SURVEY.c.survey_date,
        *[SURVEY.c[f] for f in FIELDS],
    )
    existing = frames.read_where_in(
        connection, query, SURVEY.c.household_id, surveys["household_pk"], SCHEMA
    )
    old = existing.select(
        "id", "household_pk", "survey_date", *[pl.col(f).alias(f"_old_{f}") for f in FIELDS]
    )
    joined = surveys.select(ROW, "household_id", "household_pk", "survey_date", *FIELDS).join(
        old, on=["household_pk", "survey_date"], how="left"
    )
    differs = pl.any_horizontal(pl.col(f).ne_missing(pl.col(f"_old_{f}")) for f in FIELDS)
    changed = joined.filter(pl.col("id").is_null() | differs)
    before = as_json(changed, [f"_old_{f}" for f in FIELDS]).str.replace_all('"_old_', '"')
    return changed.with_columns(
        pl.when(pl.col("id").is_not_null()).then(before).alias("before")
    ).drop([f"_old_{f}" for f in FIELDS])


def apply_surveys(
    connection: Connection, changes: pl.DataFrame, *, actor: str, batch: str
) -> dict[str, int]:
    """Write `plan_surveys`' changes, each audited."""
    stamp = now()
    new = changes.filter(pl.col("id").is_null())
    rows = new.select(
        pl.col("household_pk").alias("household_id"), "survey_date", *FIELDS
    ).with_columns(
        pl.lit("annual").alias("kind"),
        pl.lit("surveyed").alias("stage"),
        pl.lit(stamp).alias("updated_at"),
    )
    new = new.with_columns(frames.insert_returning_ids(connection, SURVEY, rows).alias("id"))  # type: ignore[arg-type]
    changed = changes.filter(pl.col("id").is_not_null())
    frames.update_by_id(
        connection,
        SURVEY,  # type: ignore[arg-type]
        changed.select("id", *FIELDS).with_columns(pl.lit(stamp).alias("updated_at")),
    )
    for action, frame in (("create", new), ("update", changed)):
        audit = frame.select(
            pl.format("{}/{}", pl.col("household_id"), pl.col("survey_date")).alias("entity_key"),
            "before",
            as_json(frame, ["household_id", "survey_date", *FIELDS]).alias("after"),
            "household_pk",
        )
        record_changes(
            connection, actor=actor, action=action, entity="survey", changes=audit, batch=batch,
            household_column="household_pk",
        )  # fmt: skip
    return {"new_surveys": new.height, "changed_surveys": changed.height}

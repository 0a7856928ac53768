"""The audit log: who changed which record, when, and the record before and after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl
from sqlalchemy import Connection, Table, insert, select

from ansinh.store import frames
from ansinh.store.models import AuditEntry, Household

AUDIT = cast(Table, AuditEntry.__table__)


def now() -> datetime:
    return datetime.now(UTC)


def as_json(frame: pl.DataFrame, columns: list[str]) -> pl.Expr:
    """Each row's `columns` as one JSON object, computed for the whole column at once."""
    return pl.struct([pl.col(c) for c in columns]).struct.json_encode()


def record_changes(
    connection: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    changes: pl.DataFrame,
    batch: str | None = None,
    after_columns: list[str] | None = None,
    household_column: str | None = None,
    unit_column: str | None = None,
) -> int:
    """Log many changes; `changes` has `entity_key` and optional `before`/`after` JSON text.

    With `after_columns`, `after` is those columns of `changes` as JSON, encoded a batch at a
    time as it is written: for a million people the whole column would cost a gigabyte.
    `household_column` names the column of `changes` holding the id of the household each
    change belongs to (for the household's history), if it belongs to one; the change then
    belongs to the household's commune (read here, so that no writer can leave it out).
    `unit_column` names a column holding the unit of each change, for other records.
    """
    stamp = now()
    if household_column is not None:
        changes = _with_communes(connection, changes, household_column)
        unit_column = _UNIT

    def entries() -> Iterator[pl.DataFrame]:
        """The changes as the log's rows, a batch at a time, each made as it is written."""
        for part in changes.iter_slices(frames.WRITE_BATCH):
            after = as_json(part, after_columns) if after_columns else _text_or_null(part, "after")
            yield part.select(
                pl.lit(stamp).alias("at"),
                pl.lit(actor).alias("actor"),
                pl.lit(action).alias("action"),
                pl.lit(entity).alias("entity"),
                pl.col("entity_key").cast(pl.String),
                pl.lit(batch, pl.String).alias("batch"),
                _text_or_null(part, "before"),
                after.alias("after"),
                (pl.col(household_column) if household_column else pl.lit(None, pl.Int64)).alias(
                    "household_id"
                ),
                (pl.col(unit_column) if unit_column else pl.lit(None, pl.String)).alias(
                    "unit_code"
                ),
            )

    frames.insert_frames(connection, AUDIT, entries())
    return changes.height


_UNIT = "_audit_unit"


def _with_communes(connection: Connection, changes: pl.DataFrame, household: str) -> pl.DataFrame:
    """`changes` with the commune of each change's household (in `_UNIT`)."""
    communes = frames.read_where_in(
        connection,
        select(Household.id, Household.commune_code),
        Household.id,
        changes[household].drop_nulls(),
        {household: pl.Int64, _UNIT: pl.String},
    )
    return changes.join(communes, on=household, how="left")


def _text_or_null(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The frame's column `name`, or a null text column of that name where it has none."""
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String).alias(name)


def record_change(
    connection: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    key: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    batch: str | None = None,
    household_id: int | None = None,
    unit_code: str | None = None,
) -> None:
    """Log one change; `unit_code` is the unit it belongs to (none: the whole registry)."""
    if household_id is not None:
        unit_code = connection.scalar(
            select(Household.commune_code).where(Household.id == household_id)
        )
    connection.execute(
        insert(AUDIT).values(
            household_id=household_id,
            unit_code=unit_code,
            at=now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_key=key,
            batch=batch,
            before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            after=None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        )
    )

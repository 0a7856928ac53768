"""The audit log: who changed which record, when, and the record before and after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl
from sqlalchemy import Connection, Table, insert

from ansinh.store import frames
from ansinh.store.models import AuditEntry

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
) -> int:
    """Log many changes; `changes` has `entity_key` and optional `before`/`after` JSON text."""
    if changes.height == 0:
        return 0
    rows = changes.select(
        pl.lit(now()).alias("at"),
        pl.lit(actor).alias("actor"),
        pl.lit(action).alias("action"),
        pl.lit(entity).alias("entity"),
        pl.col("entity_key").cast(pl.String),
        pl.lit(batch, pl.String).alias("batch"),
        (pl.col("before") if "before" in changes.columns else pl.lit(None, pl.String)).alias(
            "before"
        ),
        (pl.col("after") if "after" in changes.columns else pl.lit(None, pl.String)).alias("after"),
    )
    frames.insert_frame(connection, AUDIT, rows)
    return rows.height


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
) -> None:
    connection.execute(
        insert(AUDIT).values(
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

"""Monitoring rows merged into the registry: a file speaks for the groups it names, audited.

Each kind of row has a natural key (the record it is) and a group (what one file is the whole
picture of: a unit's plan for a year, a commune's evaluation of a year). Merging a file keeps
every stored row it leaves as it was, updates only the rows it corrects, creates the new ones,
and deletes only the rows of its own groups that it no longer holds, never another unit's.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Table, delete, select

from ansinh.store import frames
from ansinh.store.audit import as_json, record_changes

SCOPE = "scope_code"  # the registry unit a row belongs to (store/monitoring_models.py)
ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class RowKind:
    """How one kind of monitoring row is stored."""

    table: Table
    key: tuple[str, ...]  # the record a row is
    group: tuple[str, ...]  # what a file is the whole picture of (the key itself: upsert only)


@dataclass(frozen=True)
class Merge:
    """What a merge did (or, checked only, would do): counts, and the stored rows it touches."""

    counts: dict[str, int]
    touched: pl.DataFrame  # `scope_code` of every stored row updated or deleted

    @property
    def changes(self) -> int:
        return sum(self.counts.values())


def _keyed(frame: pl.DataFrame, key: tuple[str, ...]) -> pl.Expr:
    return pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator="/")


def stored_groups(
    connection: Connection, kind: RowKind, rows: pl.DataFrame, columns: list[str]
) -> pl.DataFrame:
    """The stored rows (with `id`) of the groups that `rows` names."""
    table, first = kind.table, kind.group[0]
    schema = {"id": pl.Int64} | {c: rows.schema[c] for c in columns}
    found = frames.read_where_in(
        connection,
        select(table.c.id, *(table.c[c] for c in columns)),
        table.c[first],
        rows[first].unique(),
        schema,
    )
    groups = rows.select(kind.group).unique()
    return found.join(groups, on=list(kind.group), how="semi", nulls_equal=True)


def plan_merge(connection: Connection, kind: RowKind, rows: pl.DataFrame) -> pl.DataFrame:
    """Each key of the groups `rows` names: its stored (`before`) and new (`after`) JSON, the
    stored row's `id`, and the `action` a merge takes on it."""
    columns = list(rows.columns)
    old = stored_groups(connection, kind, rows, columns)
    key = _keyed(rows, kind.key)
    before = old.select(
        "id", key.alias("entity_key"), as_json(old, columns).alias("before"),
        pl.col(SCOPE).alias("_scope_before"),
    )  # fmt: skip
    after = rows.select(
        key.alias("entity_key"), as_json(rows, columns).alias("after"),
        pl.col(SCOPE).alias("_scope_after"),
    )  # fmt: skip
    both = before.join(after, on="entity_key", how="full", coalesce=True).with_columns(
        pl.coalesce("_scope_after", "_scope_before").alias(SCOPE),
        pl.when(pl.col("before").is_null())
        .then(pl.lit("create"))
        .when(pl.col("after").is_null())
        .then(pl.lit("delete"))
        .when(pl.col("before") != pl.col("after"))
        .then(pl.lit("update"))
        .otherwise(pl.lit("same"))
        .alias("action"),
    )
    return both


def merge_rows(
    connection: Connection,
    kind: RowKind,
    rows: pl.DataFrame,
    *,
    actor: str,
    batch: str | None = None,
    dry_run: bool = False,
) -> Merge:
    """Merge `rows` (with `scope_code`) into the stored rows of their groups, audited."""
    both = plan_merge(connection, kind, rows)
    counts = {a: both.filter(pl.col("action") == a).height for a in ACTIONS}
    touched = both.filter(pl.col("action").is_in(["update", "delete"])).select(
        pl.col("_scope_before").alias(SCOPE)
    )
    if dry_run:
        return Merge(counts, touched)
    entity = kind.table.name
    for action in ACTIONS:
        changed = both.filter(pl.col("action") == action)
        record_changes(
            connection, actor=actor, action=action, entity=entity, changes=changed, batch=batch,
            unit_column=SCOPE,
        )  # fmt: skip
    gone = both.filter(pl.col("action").is_in(["update", "delete"]))["id"].drop_nulls()
    for part in frames.chunks(gone.to_list()):
        connection.execute(delete(kind.table).where(kind.table.c.id.in_(part)))
    new_keys = both.filter(pl.col("action").is_in(["create", "update"])).select("entity_key")
    new = rows.with_columns(_keyed(rows, kind.key).alias("entity_key")).join(
        new_keys, on="entity_key", how="semi"
    )
    frames.insert_frame(connection, kind.table, new.drop("entity_key"))
    return Merge(counts, touched)

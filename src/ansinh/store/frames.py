"""Moving whole columns between the database and polars frames, in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import polars as pl
from sqlalchemy import Connection, Select, Table, bindparam, insert, update

CHUNK = 10_000
# Rows per executemany: large enough to amortise the round trip, small enough for flat memory.
WRITE_BATCH = 50_000
_on_rows: ContextVar[Callable[[int], None] | None] = ContextVar("on_rows", default=None)


def read_frame(connection: Connection, query: Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    rows = connection.execute(query).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def read_where_in(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    column: Any,
    values: Iterable[Any],
    schema: dict[str, Any],
) -> pl.DataFrame:
    """Rows whose `column` is among `values`, read a chunk of values at a time."""
    keys = list(values)
    frames = [
        read_frame(connection, query.where(column.in_(part)), schema) for part in chunks(keys)
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


@contextmanager
def reporting_rows(callback: Callable[[int], None]) -> Iterator[None]:
    """Call `callback(n)` after each batch of n rows written, e.g. to move a progress bar."""
    token = _on_rows.set(callback)
    try:
        yield
    finally:
        _on_rows.reset(token)


def batches(frame: pl.DataFrame, size: int = WRITE_BATCH) -> Iterator[list[dict[str, Any]]]:
    """The frame as lists of row dicts, a batch at a time, so memory stays flat."""
    for start in range(0, frame.height, size):
        part = frame.slice(start, size)
        yield part.to_dicts()
        callback = _on_rows.get()
        if callback is not None:
            callback(part.height)


def insert_frame(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    for rows in batches(frame):
        connection.execute(insert(table), rows)


def insert_returning_ids(connection: Connection, table: Table, frame: pl.DataFrame) -> pl.Series:
    """Insert every row and return the new ids in the frame's order."""
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for rows in batches(frame):
        ids += connection.execute(statement, rows).scalars().all()
    return pl.Series("id", ids, dtype=pl.Int64)


def update_by_id(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Update rows by `id` with the frame's other columns."""
    if frame.height == 0:
        return
    columns = [c for c in frame.columns if c != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({c: bindparam(c) for c in columns})
    )
    for rows in batches(frame.rename({"id": "_id"})):
        connection.execute(statement, rows)

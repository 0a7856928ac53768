"""Moving whole columns between the database and polars frames, in bulk."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
import psycopg
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Result,
    Select,
    Table,
    bindparam,
    func,
    select,
    text,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

CHUNK = 10_000
# Rows per executemany: large enough to amortise the round trip, small enough for flat memory.
WRITE_BATCH = 50_000
READ_BATCH = 100_000
_on_rows: ContextVar[Callable[[int], None] | None] = ContextVar("on_rows", default=None)


def read_frame(
    connection: Connection, query: Select[*tuple[Any, ...]], schema: dict[str, Any]
) -> pl.DataFrame:
    return _read(connection, query, {}, schema)


def _read(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    parameters: dict[str, Any],
    schema: dict[str, Any],
) -> pl.DataFrame:
    """A query's rows as a frame; on PostgreSQL through COPY, as text that Polars reads, where
    every column can be read from text (250,000 households' ids by their codes: 1.0 s as
    Python rows, 0.3 s so)."""
    if connection.dialect.name == "postgresql" and _copies(schema):
        compiled = query.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        return _copied_out(connection, str(compiled), compiled.params | parameters, schema)
    return _frame(connection.execute(query, parameters), schema)


def _frame(result: Result[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A query's rows as a frame, a batch at a time: as Python rows all at once, the registry's
    3.9 million people raised the peak of re-importing their province by 300 MB."""
    parts = [
        pl.DataFrame(rows, schema=schema, orient="row") for rows in result.partitions(READ_BATCH)
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def read_where_in(
    connection: Connection,
    query: Select[*tuple[Any, ...]],
    column: Any,
    values: pl.Series | Iterable[Any],
    schema: dict[str, Any],
) -> pl.DataFrame:
    """Rows whose `column` is among `values`, however many.

    The values travel as one parameter (a JSON array on SQLite, an array on PostgreSQL):
    chunks of literal IN lists cost a compiled statement per chunk, 20 s of a
    965,000-person import into an empty registry. A Series is encoded by Polars, without a
    Python object per value (several hundred MB for 3.9 million codes). The values drive a
    join. On SQLite, sorted: `IN (SELECT value FROM json_each(...))` first sorted them into a
    temporary index, 7 s for 3.9 million codes even when none was held (the join: 0.3 s). On
    PostgreSQL `column = ANY(keys)` tested each row of a table scanned whole against the keys:
    a slice of a province's file, 340,000 people, against 17 million took 1.2 s when none was
    held and 2.3 s when all were, as a join 0.5 and 1.2 s; 3.4 million, 17.5 and 7.1 s.
    """
    keys = values if isinstance(values, pl.Series) else pl.Series(list(values))
    keys = keys.unique()
    if len(keys) <= CHUNK:
        return read_frame(connection, query.where(column.in_(keys.to_list())), schema)
    if connection.dialect.name == "sqlite":
        listed = func.json_each(bindparam("keys"), KEYS_PATH).table_valued("value")
    else:
        keys_array = sql_cast(bindparam("keys"), ARRAY(column.type))
        listed = func.unnest(keys_array).table_valued("value").render_derived()
    query = query.join(listed, listed.c.value == column)
    return _read(connection, query, {"keys": keys_parameter(connection, keys)}, schema)


# Where json_each finds the values in `keys_parameter`'s JSON on SQLite.
KEYS_PATH = "$[0].keys"


def keys_parameter(connection: Connection, keys: pl.Series | Iterable[Any]) -> Any:
    """Many keys as one parameter: a JSON array on SQLite (read with json_each at KEYS_PATH),
    in order, so that each page of an index is read once; a list for a PostgreSQL array. A
    Series is encoded by Polars, without a Python object per value."""
    if not isinstance(keys, pl.Series):
        listed = sorted(keys)
        return json.dumps([{"keys": listed}]) if connection.dialect.name == "sqlite" else listed
    if connection.dialect.name != "sqlite":
        return _array_text(keys)
    return pl.DataFrame({"keys": keys.sort()}).select(pl.col("keys").implode()).write_json()


def _array_text(keys: pl.Series) -> Any:
    """Integers or texts as the text of a PostgreSQL array, written by Polars: the driver
    encoding a list value by value took 7 s of a 50,000-household import (six lists, 1.2
    million keys). The text goes untyped, so PostgreSQL reads it as an array of the column's
    type. Other types go as a list."""
    keys = keys.drop_nulls()
    if keys.dtype.is_integer():
        items = keys.cast(pl.String)
    elif keys.dtype == pl.String:
        escaped = keys.str.replace_all("\\", "\\\\", literal=True)
        items = '"' + escaped.str.replace_all('"', '\\"', literal=True) + '"'
    else:
        return keys.to_list()
    return "{" + items.str.join(",").item() + "}"


def among(connection: Connection, column: str, name: str) -> str:
    """SQL: `column` is one of the keys of the parameter `name` (given by `keys_parameter`)."""
    if connection.dialect.name == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(:{name}, '{KEYS_PATH}'))"
    return f"{column} = ANY(:{name})"


# Separates the values of one column in the text SQLite hands over (ASCII unit separator).
_SEPARATOR = "\x1f"
_PACKED_BITS = 63


@dataclass(frozen=True)
class Small:
    """A column of integers in [0, 2**bits): on SQLite such columns travel packed in one.

    `bounded`: the SQL cannot give a value outside the bits (a CASE of small constants), so
    rows need not be tested for one.
    """

    sql: str
    bits: int
    bounded: bool = False


Column = tuple[str, pl.DataType] | Small


def read_columns(
    connection: Connection,
    columns: dict[str, Column],
    source: str,
    parameters: dict[str, Any],
    before: str = "",
) -> pl.DataFrame:
    """The named SQL expressions over the rows of `source` (a FROM and WHERE), as a frame.
    `before`: a WITH clause the source reads (not on SQLite, whose WITH cannot write).

    Through Python's sqlite3 every value of every row becomes a Python object: a million rows
    of eight columns took 1.8 s. On SQLite each column comes instead as one text of its values,
    which Polars splits (0.2 s a column), and the `Small` columns as one text of integers that
    hold them all. An empty text reads as null; a `Small` null reads as 0. Elsewhere the rows
    come as rows.
    """
    schema = {
        name: pl.Int64() if isinstance(column, Small) else column[1]
        for name, column in columns.items()
    }
    if connection.dialect.name != "sqlite":
        listed = ", ".join(f"{_sql(column)} AS {name}" for name, column in columns.items())
        query = f"{before} SELECT {listed} {source}".strip()
        if connection.dialect.name == "postgresql":
            return _copy_out(connection, query, parameters, schema)
        return _frame(connection.execute(text(query), parameters), schema)
    if before:
        raise ValueError("SQLite reads no WITH before the columns")
    texts = {name: c[0] for name, c in columns.items() if not isinstance(c, Small)}
    small = {name: c for name, c in columns.items() if isinstance(c, Small)}
    # The aggregates of one SELECT read the same rows in the same order.
    aggregates = [
        f"group_concat(COALESCE(CAST({sql} AS TEXT), ''), char(31))" for sql in texts.values()
    ]
    if small:
        packed, outside = _packed(list(small.values()))
        aggregates += [f"group_concat({packed}, char(31))", f"SUM({outside})"]
    statement = f"SELECT COUNT(*), {', '.join(aggregates)} {source}"
    found = connection.execute(text(statement), parameters).one()
    if found[0] == 0:
        return pl.DataFrame(schema=schema)
    if small and found[-1]:
        raise ValueError(f"{found[-1]} rows hold a value out of the bits of {list(small)}")
    read = [
        _split(name, found[i + 1], found[0]).replace("", None).cast(schema[name])
        for i, name in enumerate(texts)
    ]
    if small:
        whole = _split("packed", found[len(texts) + 1], found[0]).cast(pl.Int64)
        read += _unpacked(whole, small)
    return pl.DataFrame(read).select(list(columns))


def _sql(column: Column) -> str:
    return column.sql if isinstance(column, Small) else column[0]


def _split(name: str, joined: str, count: int) -> pl.Series:
    values = pl.Series(name, [joined]).str.split(_SEPARATOR).explode()
    if len(values) != count:
        raise ValueError(f"a value of {name} holds the separator {_SEPARATOR!r}")
    return values


def _packed(columns: list[Small]) -> tuple[str, str]:
    """One integer holding each column at its offset, and a test for a value outside its bits."""
    if sum(c.bits for c in columns) > _PACKED_BITS:
        raise ValueError(f"more than {_PACKED_BITS} bits to pack")
    terms, tests, offset = [], [], 0
    for column in columns:
        value = f"COALESCE({column.sql}, 0)"
        terms.append(f"{value} * {2**offset}")
        if not column.bounded:
            tests.append(f"{value} < 0 OR {value} >= {2**column.bits}")
        offset += column.bits
    outside = f"CASE WHEN {' OR '.join(tests)} THEN 1 ELSE 0 END" if tests else "0"
    return " + ".join(terms), outside


def _unpacked(whole: pl.Series, columns: dict[str, Small]) -> list[pl.Series]:
    unpacked, offset = [], 0
    for name, column in columns.items():
        unpacked.append((whole // 2**offset % 2**column.bits).alias(name))
        offset += column.bits
    return unpacked


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
    """Insert every row through the driver's executemany, without per-value Python work."""
    if frame.height == 0:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, frame)
        return
    frame = _as_stored(connection, table, frame)
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    columns = ", ".join(frame.columns)
    values = ", ".join([marker] * frame.width)
    statement = f"INSERT INTO {table.name} ({columns}) VALUES ({values})"
    for start in range(0, frame.height, WRITE_BATCH):
        part = frame.slice(start, WRITE_BATCH)
        connection.exec_driver_sql(statement, part.rows())
        callback = _on_rows.get()
        if callback is not None:
            callback(part.height)


def insert_frames(connection: Connection, table: Table, parts: Iterable[pl.DataFrame]) -> None:
    """`insert_frame` of each part, the parts made as they are written (a batch of the audit
    log's records, say). On PostgreSQL they go in one COPY, each part made while the server
    reads the one before."""
    if connection.dialect.name != "postgresql":
        for part in parts:
            insert_frame(connection, table, part)
        return
    rows = (part for part in parts if part.height)
    first = next(rows, None)
    if first is not None:
        _copy_parts(connection, table, first.columns, itertools.chain([first], rows))


def _copy(connection: Connection, table: Table, frame: pl.DataFrame) -> None:
    _copy_parts(connection, table, frame.columns, [frame])


def _copy_parts(
    connection: Connection, table: Table, columns: list[str], parts: Iterable[pl.DataFrame]
) -> None:
    """PostgreSQL's COPY, the frames as CSV a batch at a time, in the caller's transaction:
    executemany sent a million payroll lines in 18 s. Polars writes null as an empty field and
    an empty text as "", which is how COPY's CSV tells them apart. The driver sends each batch
    from a thread of its own, so that the next is written (Polars, without the interpreter's
    lock) while the server reads this one."""
    cursor = cast("psycopg.Cursor[Any]", connection.connection.cursor())
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    driver_error = connection.dialect.loaded_dbapi.Error
    try:
        with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            for frame in parts:
                for part in frame.select(columns).iter_slices(WRITE_BATCH):
                    buffer = io.BytesIO()
                    part.write_csv(buffer, include_header=False)
                    copy.write(buffer.getvalue())
                    callback = _on_rows.get()
                    if callback is not None:
                        callback(part.height)
    except driver_error as error:  # as SQLAlchemy's own statements raise it (IntegrityError...)
        raise DBAPIError.instance(statement, None, error, driver_error) from error


def _copy_out(
    connection: Connection, query: str, parameters: dict[str, Any], schema: dict[str, Any]
) -> pl.DataFrame:
    """PostgreSQL's COPY TO of a query, as CSV that Polars reads whole: a million rows of
    twelve columns as Python tuples took 4 s, as CSV 1.2 s."""
    # With parameters, the query's :names become the driver's %(names)s (and % becomes %%).
    if not parameters:
        return _copied_out(connection, query, None, schema)
    compiled = str(text(query).compile(dialect=connection.dialect))
    return _copied_out(connection, compiled, parameters, schema)


# The types besides integers that a column read as CSV text becomes, in `_copied_out`; a
# schema with any other (times, say) is read as rows.
_FROM_TEXT = (pl.Boolean, pl.String, pl.Date, pl.Float64)


def _copies(schema: dict[str, Any]) -> bool:
    return all(dtype.is_integer() or dtype in _FROM_TEXT for dtype in schema.values())


def _copied_out(
    connection: Connection,
    statement: str,
    parameters: dict[str, Any] | None,
    schema: dict[str, Any],
) -> pl.DataFrame:
    """The rows of `statement` through COPY TO. With `parameters` (a dict, even empty), the
    statement is in the driver's style: %(name)s, and %% for a percent sign."""
    buffer = io.BytesIO()
    copying = f"COPY ({statement}) TO STDOUT (FORMAT csv)"
    with connection.connection.cursor().copy(copying, parameters) as copy:
        for data in copy:
            buffer.write(data)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=schema)
    read = pl.read_csv(
        buffer.getvalue(), has_header=False, new_columns=list(schema), infer_schema=False
    )
    return read.with_columns(_from_text(name, dtype) for name, dtype in schema.items())


def _from_text(name: str, dtype: Any) -> pl.Expr:
    if dtype == pl.Boolean:
        return pl.col(name) == "t"
    if dtype == pl.Date:
        return pl.col(name).str.to_date("%Y-%m-%d")
    return pl.col(name).cast(dtype)


def _as_stored(connection: Connection, table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Dates, times and flags as SQLAlchemy would store them in SQLite (PostgreSQL takes them)."""
    if connection.dialect.name != "sqlite":
        return frame
    converted = []
    for name, dtype in frame.schema.items():
        kind = table.c[name].type
        if isinstance(kind, DateTime) and dtype == pl.Datetime:
            converted.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S.%6f"))
        elif isinstance(kind, Date) and dtype == pl.Date:
            converted.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Boolean:
            converted.append(pl.col(name).cast(pl.Int8))
    return frame.with_columns(converted)


def insert_returning_ids(connection: Connection, table: Table, frame: pl.DataFrame) -> pl.Series:
    """Insert every row and return the new ids in the frame's order.

    The ids are assigned here, after the table's highest, under a table lock: INSERT ...
    RETURNING in parameter order costs SQLite one statement per row, a plain executemany does not.
    """
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))
    highest = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    ids = pl.int_range(highest + 1, highest + 1 + frame.height, eager=True, dtype=pl.Int64)
    insert_frame(connection, table, frame.with_columns(ids.alias("id")))
    if postgres and frame.height:
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": table.name, "last": highest + frame.height},
        )
    return ids.alias("id")


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

"""Bulk reads and writes of frames, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, Table, func, select

from ansinh.store import frames
from ansinh.store.db import make_engine
from ansinh.store.models import Household, Survey, Unit

SCHEMA = {"code": pl.String, "level": pl.String}
HOUSEHOLD = Household.__table__
SURVEY = Survey.__table__
assert isinstance(HOUSEHOLD, Table) and isinstance(SURVEY, Table)


def test_a_long_list_of_keys_is_read_through_a_staged_table(engine: Engine) -> None:
    with engine.begin() as connection:
        codes = list(connection.scalars(select(Unit.code)))
        asked = codes + [f"missing-{n}" for n in range(frames.CHUNK)] + codes[:5]
        assert len(asked) > frames.CHUNK
        found = frames.read_where_in(
            connection, select(Unit.code, Unit.level), Unit.code, asked, SCHEMA
        )
        # Every known unit once, the unknown keys and the repeated ones change nothing.
        assert sorted(found["code"].to_list()) == sorted(codes)
        # The staging table is gone: a second read in the same transaction works.
        again = frames.read_where_in(
            connection, select(Unit.code, Unit.level), Unit.code, asked, SCHEMA
        )
        assert again.height == found.height


def test_a_long_list_of_ids_is_read_through_a_query_that_already_joins(engine: Engine) -> None:
    stamp = datetime.now(UTC)
    households = pl.DataFrame(
        {"code": ["H1", "H2", "H3"], "commune_code": ["04465", "04456", "04465"]}
    ).with_columns(pl.lit(stamp).alias("updated_at"))
    with engine.begin() as connection:
        table = Household.__table__
        assert isinstance(table, Table)
        ids = frames.insert_returning_ids(connection, table, households)
        asked = [*range(-frames.CHUNK, 0), *ids.to_list()[:2], ids[0]]
        found = frames.read_where_in(
            connection,
            select(Household.code, Unit.name).join(Unit, Unit.code == Household.commune_code),
            Household.id,
            pl.Series(asked),
            {"code": pl.String, "commune": pl.String},
        )
    assert sorted(found["code"].to_list()) == ["H1", "H2"]


def test_a_long_list_of_keys_reads_dates_flags_nulls_and_empty_texts_as_stored(
    engine: Engine,
) -> None:
    """On PostgreSQL the rows come through COPY as text: each type must read back as it was,
    a null apart from an empty text, with the query's own conditions applied."""
    stamp = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    households = pl.DataFrame(
        {
            "code": ["H1", "H2", "H3"],
            "commune_code": ["04465", "04465", "04456"],
            "address": ['Thôn 1, "xóm", 2', "", None],
        }
    ).with_columns(pl.lit(stamp).alias("updated_at"))
    with engine.begin() as connection:
        table = Household.__table__
        assert isinstance(table, Table)
        ids = frames.insert_returning_ids(connection, table, households)
        query = select(
            Household.code,
            Household.address,
            Household.id,
            (Household.members == 0).label("empty"),
            func.date(Household.updated_at).label("day"),
        ).where(Household.commune_code == "04465")
        asked = pl.Series([*range(-frames.CHUNK, 0), *ids.to_list()])
        schema = {
            "code": pl.String,
            "address": pl.String,
            "id": pl.Int64,
            "empty": pl.Boolean,
            "day": pl.String,
        }
        found = frames.read_where_in(connection, query, Household.id, asked, schema)
        timed = frames.read_where_in(
            connection,
            select(Household.code, Household.updated_at),
            Household.id,
            asked,
            {"code": pl.String, "updated_at": pl.Datetime("us", "UTC")},
        )
    assert found.sort("code").rows() == [
        ("H1", 'Thôn 1, "xóm", 2', ids[0], True, "2026-03-01"),
        ("H2", "", ids[1], True, "2026-03-01"),
    ]
    assert timed.height == 3


def test_a_query_with_a_percent_sign_and_a_short_list_reads_as_written(engine: Engine) -> None:
    """Compiled for COPY on PostgreSQL, `%` is the driver's to unescape, with or without keys."""
    with engine.begin() as connection:
        odd = (func.length(Unit.code) % 2 == 1).label("odd")
        schema = {"code": pl.String, "odd": pl.Boolean}
        every = frames.read_frame(connection, select(Unit.code, odd), schema)
        listed = frames.read_where_in(connection, select(Unit.code, odd), Unit.code, ["15"], schema)
    assert every.height > 1 and every.filter(pl.col("code") == "15")["odd"].to_list() == [False]
    assert listed.rows() == [("15", False)]


def test_a_long_list_of_keys_reads_dates_as_dates(engine: Engine) -> None:
    households = pl.DataFrame({"code": ["H1"], "commune_code": ["04465"]}).with_columns(
        pl.lit(datetime.now(UTC)).alias("updated_at")
    )
    with engine.begin() as connection:
        (household,) = frames.insert_returning_ids(connection, HOUSEHOLD, households)
        surveys = pl.DataFrame(
            {"household_id": [household], "survey_date": [date(2025, 9, 30)], "year": [2025]}
        ).with_columns(
            pl.lit("rural").alias("area"),
            pl.lit(1_000_000).alias("income_per_capita"),
            pl.lit("annual").alias("kind"),
            pl.lit("surveyed").alias("stage"),
            pl.lit(datetime.now(UTC)).alias("updated_at"),
        )
        frames.insert_returning_ids(connection, SURVEY, surveys)
        found = frames.read_where_in(
            connection,
            select(Survey.survey_date, Survey.year),
            Survey.household_id,
            pl.Series([*range(-frames.CHUNK, 0), household]),
            {"survey_date": pl.Date, "year": pl.Int32},
        )
    assert found.rows() == [(date(2025, 9, 30), 2025)]


def test_a_short_list_of_keys_is_read_in_one_query(engine: Engine) -> None:
    with engine.begin() as connection:
        found = frames.read_where_in(
            connection, select(Unit.code, Unit.level), Unit.code, ["15", "nowhere"], SCHEMA
        )
    assert found.rows() == [("15", "province")]


# Three literal rows as a FROM clause, the same on both backends.
ROWS = (
    "FROM (SELECT 1 AS n, 'a' AS label, 5 AS small "
    "UNION ALL SELECT 2, NULL, 0 UNION ALL SELECT 3, 'c', 127) AS v"
)


COLUMNS: dict[str, frames.Column] = {
    "n": ("n", pl.Int64()),
    "label": ("label", pl.String()),
    "small": frames.Small("small", 7),
    "odd": frames.Small("CASE WHEN n % 2 = 1 THEN 1 ELSE 0 END", 1, bounded=True),
}


def test_columns_are_read_whole_with_small_integers_packed(engine: Engine) -> None:
    with engine.connect() as connection:
        found = frames.read_columns(connection, COLUMNS, ROWS, {}).sort("n")
    assert found.columns == ["n", "label", "small", "odd"]
    assert found.to_dicts() == [
        {"n": 1, "label": "a", "small": 5, "odd": 1},
        {"n": 2, "label": None, "small": 0, "odd": 0},
        {"n": 3, "label": "c", "small": 127, "odd": 1},
    ]


def test_no_rows_give_an_empty_frame_of_the_columns(engine: Engine) -> None:
    with engine.connect() as connection:
        found = frames.read_columns(connection, COLUMNS, ROWS + " WHERE n > 9", {})
    assert found.height == 0 and found.columns == list(COLUMNS)


def test_a_small_integer_outside_its_bits_is_an_error_not_a_wrong_value(tmp_path: Path) -> None:
    narrow = COLUMNS | {"small": frames.Small("small", 6)}  # 127 needs 7 bits
    engine = make_engine(url=f"sqlite:///{tmp_path / 'a.db'}")  # only SQLite packs
    with engine.connect() as connection, pytest.raises(ValueError, match="out of the bits"):
        frames.read_columns(connection, narrow, ROWS, {})


def test_a_text_holding_the_separator_is_an_error_not_shifted_columns(tmp_path: Path) -> None:
    engine = make_engine(url=f"sqlite:///{tmp_path / 'a.db'}")  # only SQLite joins texts
    with engine.connect() as connection, pytest.raises(ValueError, match="separator"):
        frames.read_columns(connection, {"label": ("label || char(31)", pl.String())}, ROWS, {})

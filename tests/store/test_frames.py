"""Bulk reads and writes of frames, on SQLite and PostgreSQL."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, select

from ansinh.store import frames
from ansinh.store.models import Unit

SCHEMA = {"code": pl.String, "level": pl.String}


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


def test_a_short_list_of_keys_is_read_in_one_query(engine: Engine) -> None:
    with engine.begin() as connection:
        found = frames.read_where_in(
            connection, select(Unit.code, Unit.level), Unit.code, ["15", "nowhere"], SCHEMA
        )
    assert found.rows() == [("15", "province")]

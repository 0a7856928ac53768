"""Bulk reads and writes of frames, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Engine, Table, select

from ansinh.store import frames
from ansinh.store.models import Household, Unit

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


def test_a_short_list_of_keys_is_read_in_one_query(engine: Engine) -> None:
    with engine.begin() as connection:
        found = frames.read_where_in(
            connection, select(Unit.code, Unit.level), Unit.code, ["15", "nowhere"], SCHEMA
        )
    assert found.rows() == [("15", "province")]

"""Indexes that migrations add to big tables are built after the migrations, CONCURRENTLY on
PostgreSQL, and a build that was stopped midway is built again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from ansinh.store.schema import (
    LateIndex,
    alembic_config,
    build_late_indexes,
    held_late_indexes,
)

INDEX = LateIndex("ix_test_household_address", "household", ("address",), where="address <> ''")


@pytest.fixture
def late(engine: Engine) -> Iterator[Engine]:
    yield engine
    with engine.begin() as connection:  # the PostgreSQL schema outlives the test
        connection.execute(text(f"DROP INDEX IF EXISTS {INDEX.name}"))


def _valid(engine: Engine) -> bool | None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.scalar(
                text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :n"),
                {"n": INDEX.name},
            )
            return None if found is None else True
        return connection.scalar(
            text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:n)"),
            {"n": INDEX.name},
        )


def test_a_late_index_is_built_once(late: Engine) -> None:
    assert _valid(late) is None
    build_late_indexes(late, [INDEX])
    assert _valid(late) is True
    build_late_indexes(late, [INDEX])  # already there: nothing to do, no error
    assert _valid(late) is True


@pytest.mark.postgres
def test_an_index_left_invalid_by_a_stopped_build_is_built_again(late: Engine) -> None:
    if late.dialect.name != "postgresql":
        pytest.skip("SQLite builds an index in its transaction: it is there or not")
    build_late_indexes(late, [INDEX])
    with late.begin() as connection:  # what a CREATE INDEX CONCURRENTLY stopped midway leaves
        connection.execute(
            text("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass(:n)"),
            {"n": INDEX.name},
        )
    assert _valid(late) is False
    build_late_indexes(late, [INDEX])
    assert _valid(late) is True


def test_the_late_indexes_of_the_revisions_held_are_found(
    late: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_revision(scripts.get_current_head())
    assert head is not None
    monkeypatch.setattr(head.module, "late_indexes", [INDEX], raising=False)
    # The head's own comes last, after the earlier revisions' (0028's name index, say).
    assert held_late_indexes(late, scripts)[-1] == INDEX

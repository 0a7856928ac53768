"""PostgreSQL's index of every two words of a name (migration 0027) holds what SQLite's does,
and a search of two words or more reads it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from ansinh.domain.names import word_pairs
from ansinh.store import search

pytestmark = pytest.mark.postgres

NAMES = ["nguyen van hung", "hoa", "", "le thi my hanh", "ho-chi minh", "a b c d e f g h i j"]


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's pair index is FTS5 over ansinh.domain.names.word_pairs")
    return engine


def test_the_pairs_are_those_of_sqlites_index(postgres: Engine) -> None:
    with postgres.connect() as connection:
        for name in NAMES:
            lexemes = connection.scalar(
                text("SELECT tsvector_to_array(name_pairs(:name))"), {"name": name}
            )
            assert sorted(lexemes) == sorted(word_pairs(name).split()), name


def test_a_search_of_two_words_reads_the_pair_index(postgres: Engine) -> None:
    matches, words = search._match_query(["nguyen", "van"], "postgresql", prefix=True)
    assert words == "('nguyen_van':* | 'van_nguyen')"
    with postgres.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # a test registry is tiny
        plan = connection.scalars(text(f"EXPLAIN {matches}"), {"words": words}).all()
    assert any("ix_person_name_pairs" in line for line in plan), plan

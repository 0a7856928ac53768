"""PostgreSQL's index of every two words of a name holds what SQLite's does, each after its
person's province (migrations 0027, 0028), and a search of two words or more reads its scope's
provinces only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from ansinh.domain.names import word_pairs
from ansinh.store import search
from ansinh.store.scope import WHOLE_REGISTRY, scope_for

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


def test_the_province_pairs_are_those_of_sqlites_index_after_the_province(
    postgres: Engine,
) -> None:
    with postgres.connect() as connection:
        for name in NAMES:
            lexemes = connection.scalar(
                text("SELECT tsvector_to_array(name_pairs_in('15', :name))"), {"name": name}
            )
            assert sorted(lexemes) == sorted(f"15_{p}" for p in word_pairs(name).split()), name


def test_a_search_of_two_words_reads_its_provinces_pairs(postgres: Engine) -> None:
    with postgres.connect() as connection:
        scope = scope_for(connection, ("15",))  # Lào Cai
        matches, words = search._match_query(connection, scope, ["nguyen", "van"], prefix=True)
        assert words == "(('15_nguyen_van':* | '15_van_nguyen'))"
        connection.execute(text("SET enable_seqscan = off"))  # a test registry is tiny
        plan = connection.scalars(text(f"EXPLAIN {matches}"), {"words": words}).all()
    assert any("ix_person_province_name_pairs" in line for line in plan), plan


def test_the_countrys_search_asks_each_province_that_holds_households(postgres: Engine) -> None:
    with postgres.begin() as connection:
        for code, commune in (("H1", "04465"), ("H2", "02269")):  # Lào Cai, Tuyên Quang
            connection.execute(
                text(
                    "INSERT INTO household (code, commune_code, updated_at) "
                    "VALUES (:code, :commune, now())"
                ),
                {"code": code, "commune": commune},
            )
        assert search.provinces_in(connection, WHOLE_REGISTRY) == ["08", "15"]
        _, words = search._match_query(connection, WHOLE_REGISTRY, ["le", "hoa"], prefix=False)
    assert words == "(('08_le_hoa' | '08_hoa_le')) | (('15_le_hoa' | '15_hoa_le'))"

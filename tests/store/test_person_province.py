"""A person's province, the key of PostgreSQL's name index (migration 0028): written by imports,
kept by triggers when a person or a household moves, and a province's search finds its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.builders import KHAO_MANG, person, write_csv

from ansinh.io.importer import import_file
from ansinh.store.scope import WHOLE_REGISTRY, Scope, scope_for
from ansinh.store.search import search_people

THUONG_LAM = "02269"  # Xã Thượng Lâm, Tuyên Quang (08)


@pytest.fixture
def namesakes(engine: Engine, tmp_path: Path) -> Engine:
    """Two Nguyễn Văn Hùng, one in Lào Cai (15) and one in Tuyên Quang (08)."""
    rows: list[dict[str, str]] = [
        person("P1", "H1", "Nguyễn Văn Hùng", "head"),
        person("P2", "H1", "Lò Thị Hoa", "spouse"),
        person("P3", "H2", "Nguyễn Văn Hùng", "head", commune_code=THUONG_LAM, village_code=""),
    ]
    import_file(engine, write_csv(tmp_path / "people.csv", rows), actor="t")
    return engine


def _found(engine: Engine, scope: Scope, typed: str = "nguyen van hung") -> list[str]:
    with engine.connect() as connection:
        return sorted(p.household_code for p in search_people(connection, scope, typed).items)


def _scope(engine: Engine, unit: str) -> Scope:
    with engine.connect() as connection:
        return scope_for(connection, (unit,))


def test_a_provinces_search_finds_its_own_namesakes_and_the_country_both(
    namesakes: Engine,
) -> None:
    assert _found(namesakes, _scope(namesakes, "15")) == ["H1"]
    assert _found(namesakes, _scope(namesakes, "08")) == ["H2"]
    assert _found(namesakes, _scope(namesakes, KHAO_MANG)) == ["H1"]
    assert _found(namesakes, WHOLE_REGISTRY) == ["H1", "H2"]
    assert _found(namesakes, _scope(namesakes, "15"), "van hu") == ["H1"]  # a prefix


def _provinces(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT code, province_code FROM person")).all())


@pytest.mark.postgres
def test_an_import_writes_each_persons_province(namesakes: Engine) -> None:
    if namesakes.dialect.name != "postgresql":
        pytest.skip("SQLite's name index (FTS5) has no province: the column stays empty")
    assert _provinces(namesakes) == {"P1": "15", "P2": "15", "P3": "08"}


@pytest.mark.postgres
def test_the_triggers_keep_the_province_as_people_and_households_move(namesakes: Engine) -> None:
    if namesakes.dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    with namesakes.begin() as connection:
        # An officer's form writes a person without a province.
        connection.execute(
            text(
                "INSERT INTO person (code, household_id, full_name, name_folded, relation, "
                "updated_at) SELECT 'P4', id, 'Lò Văn Sáng', 'lo van sang', 'child', now() "
                "FROM household WHERE code = 'H2'"
            )
        )
        # A household moves to a commune of another province, a person to another household.
        connection.execute(
            text("UPDATE household SET commune_code = :c WHERE code = 'H1'"), {"c": THUONG_LAM}
        )
        connection.execute(
            text(
                "UPDATE person SET household_id = (SELECT id FROM household WHERE code = 'H1') "
                "WHERE code = 'P3'"
            )
        )
    assert _provinces(namesakes) == {"P1": "08", "P2": "08", "P3": "08", "P4": "08"}
    assert _found(namesakes, _scope(namesakes, "15")) == []
    assert _found(namesakes, _scope(namesakes, "08")) == ["H1", "H1"]

"""A bulk import leaves PostgreSQL's planner the figures of the tables it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.builders import family, write_csv

from ansinh.io import importer
from ansinh.io.importer import import_file

ANALYZED = """
    SELECT coalesce(sum(analyze_count), 0) FROM pg_stat_user_tables
    WHERE schemaname = current_schema() AND relname = 'person'
"""


def _analyzed(engine: Engine) -> int:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_stat_clear_snapshot()"))
        return int(connection.scalar(text(ANALYZED)) or 0)


@pytest.mark.postgres
def test_a_bulk_import_analyzes_what_it_wrote(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans from its indexes: nothing to refresh")
    before = _analyzed(engine)
    monkeypatch.setattr(importer, "BULK_ROWS", 1)  # a literal family stands for a big file
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="tester")
    assert _analyzed(engine) == before + 1


def test_a_small_import_leaves_the_statistics_to_autovacuum(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans from its indexes: nothing to refresh")
    before = _analyzed(engine)
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="tester")
    assert _analyzed(engine) == before

"""A review leaves PostgreSQL's planner the figures of what it wrote (store/statistics.py)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select, text
from tests.builders import family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.models import ReviewResult
from ansinh.store.review import results_table, run_review

RELTUPLES = "SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)"


def test_the_review_analyzes_its_results_on_postgresql(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="tester")
    surveys = [
        survey("H1", 1_500_000, {"water", "sanitation", "telecom"}),
        survey("H2", 5_000_000, set()),
    ]
    import_file(engine, write_csv(tmp_path / "surveys.csv", surveys), actor="tester")
    run = run_review(engine, 2025, load_standard("vn-2022-2025"), actor="tester")
    with engine.connect() as connection:
        written = connection.scalar(select(func.count()).select_from(ReviewResult))
        if engine.dialect.name != "postgresql":
            return  # SQLite plans from its indexes: nothing to refresh
        # Never analyzed, a table's reltuples is -1; ANALYZE of a small table counts every row.
        # The planner reads a run's results in the run's partition, by its own figures.
        table = results_table(engine.dialect.name, run.run_id)
        assert connection.scalar(text(RELTUPLES), {"table": table}) == written == 2

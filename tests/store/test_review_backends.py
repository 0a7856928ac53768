"""The review gives the same result on SQLite and PostgreSQL, household by household."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Connection, Engine, text

from ansinh.domain.poverty import PovertyStandard, standard_in_force
from ansinh.io.importer import import_table
from ansinh.problems import ROW
from ansinh.store import review
from ansinh.store.review import run_review
from ansinh.synth import generate_province

pytestmark = pytest.mark.postgres

RESULTS = """
    SELECT h.code AS household, s.survey_date, r.commune_code, r.village_code, r.status,
           r.deprivation_count, r.mpi_score, r.members, r.workers, r.meritorious_members,
           r.head_ethnicity, r.mpi_poor, r.deprivations
    FROM review_result AS r
    JOIN household AS h ON h.id = r.household_id
    JOIN survey AS s ON s.id = r.survey_id
    WHERE r.run_id = :run
"""
SUMMARY = """
    SELECT * FROM review_summary WHERE run_id = :run
"""


def _load(engine: Engine, households: int, seed: int) -> None:
    made = generate_province("15", households, seed)
    for name, frame in (("households.csv", made.people), ("surveys.csv", made.surveys)):
        numbered = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
        import_table(engine, Path(name), numbered, actor="test", batch=f"test-{name}")


def _read(engine: Engine, sql: str, run: int, key: list[str]) -> pl.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(text(sql), {"run": run})
        frame = pl.DataFrame(result.all(), schema=list(result.keys()), orient="row")
    frame = frame.drop([c for c in ("id", "run_id") if c in frame.columns])
    # SQLite hands dates and flags back as text and integers.
    return frame.with_columns(pl.col(pl.Boolean).cast(pl.Int64)).sort(key)


def test_sqlite_and_postgresql_review_alike_to_the_last_household(
    both_backends: tuple[Engine, Engine],
) -> None:
    standard = standard_in_force(date(2025, 12, 14))
    found = {}
    for engine in both_backends:
        _load(engine, 600, seed=3)
        run = run_review(engine, 2025, standard, "test")
        results = _read(engine, RESULTS, run.run_id, ["household"])
        summary = _read(engine, SUMMARY, run.run_id, ["unit_code", "group_kind", "group_value"])
        found[engine.dialect.name] = (run.households, results, summary)
    sqlite, postgres = found["sqlite"], found["postgresql"]
    assert sqlite[0] == postgres[0] == 600
    # Every household's result is the same, to the last digit of its score.
    _assert_same(sqlite[1], postgres[1], floats_within=0.0)
    # The summary's averages are sums of the same scores in another order: the last bit may
    # differ (0.30833333333333335 against 0.3083333333333333); the counts may not.
    _assert_same(sqlite[2], postgres[2], floats_within=1e-12)


def test_a_review_in_parts_on_postgresql_gives_sqlites_results(
    both_backends: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The households classified in three ranges at once, each on a connection of its own."""
    monkeypatch.setattr(review, "MIN_PART_HOUSEHOLDS", 1)
    monkeypatch.setattr(review, "_part_count", lambda: 3)
    standard = standard_in_force(date(2025, 12, 14))
    found = {}
    for engine in both_backends:
        _load(engine, 600, seed=4)
        with engine.connect() as connection:
            parts = review.household_parts(connection)
        assert len(parts) == (3 if engine.dialect.name == "postgresql" else 0)
        run = run_review(engine, 2025, standard, "test")
        results = _read(engine, RESULTS, run.run_id, ["household"])
        summary = _read(engine, SUMMARY, run.run_id, ["unit_code", "group_kind", "group_value"])
        found[engine.dialect.name] = (run.households, results, summary)
    sqlite, postgres = found["sqlite"], found["postgresql"]
    assert sqlite[0] == postgres[0] == 600
    _assert_same(sqlite[1], postgres[1], floats_within=0.0)
    _assert_same(sqlite[2], postgres[2], floats_within=1e-12)


def test_a_review_whose_part_fails_leaves_no_run_and_no_result(
    both_backends: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, postgres = both_backends
    monkeypatch.setattr(review, "MIN_PART_HOUSEHOLDS", 1)
    monkeypatch.setattr(review, "_part_count", lambda: 3)
    _load(postgres, 300, seed=5)
    classify = review.classified_cells
    with postgres.connect() as connection:
        last = review.household_parts(connection)[-1]

    def last_part_fails(
        connection: Connection,
        run_id: int,
        year: int,
        standard: PovertyStandard,
        kept_run: int | None = None,
        households: tuple[int, int] = review.EVERY_HOUSEHOLD,
        kept: list[str] | None = None,
    ) -> pl.DataFrame:
        counted = classify(connection, run_id, year, standard, kept_run, households, kept)
        if households == last:  # the others commit theirs
            raise RuntimeError("the server went away")
        return counted

    monkeypatch.setattr(review, "classified_cells", last_part_fails)
    with pytest.raises(RuntimeError):
        run_review(postgres, 2025, standard_in_force(date(2025, 12, 14)), "test")
    with postgres.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM review_run")) == 0
        assert connection.scalar(text("SELECT count(*) FROM review_result")) == 0
        # The run's own table, which the parts that succeeded wrote into, is gone.
        left = (
            "SELECT count(*) FROM pg_class WHERE relname ~ '^review_result_[0-9]+$' "
            "AND relnamespace = CAST(current_schema() AS regnamespace)"
        )
        assert connection.scalar(text(left)) == 0


_TABLES = (
    "SELECT relname FROM pg_class WHERE relname ~ '^review_result_[0-9]+$' "
    "AND relnamespace = CAST(current_schema() AS regnamespace) ORDER BY relname"
)


def test_a_review_drops_the_tables_a_killed_review_left_but_not_one_going_on(
    both_backends: tuple[Engine, Engine],
) -> None:
    """A review killed with its process leaves its table of results, attached to nothing;
    the next review drops it, but not the table of a review still going on (it holds its run)."""
    _, postgres = both_backends
    _load(postgres, 30, seed=7)
    going_on = postgres.connect()
    try:
        with postgres.begin() as connection:
            for run in (901, 902):
                connection.execute(text(f"CREATE TABLE review_result_{run} (LIKE review_result)"))
        going_on.begin()
        review._hold_run(going_on, 902)
        run = run_review(postgres, 2025, standard_in_force(date(2025, 12, 14)), "test")
        with postgres.connect() as connection:
            left = connection.execute(text(_TABLES)).scalars().all()
        assert left == [f"review_result_{run.run_id}", "review_result_902"]
    finally:
        going_on.rollback()
        going_on.close()
    assert review.forget_abandoned_results(postgres) == [902]


def test_a_runs_results_are_seen_only_once_the_run_commits(
    both_backends: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the parts commit their results into the run's own table; another
    connection sees none of them until the run's transaction attaches it and commits."""
    _, postgres = both_backends
    _load(postgres, 300, seed=6)
    store_run = review._store_run
    seen: list[int] = []

    def looked_at_meanwhile(connection: Connection, run_id: int, *rest: object) -> pl.DataFrame:
        with postgres.connect() as other:
            count = "SELECT count(*) FROM review_result WHERE run_id = :run"
            seen.append(other.scalar(text(count), {"run": run_id}))
        return store_run(connection, run_id, *rest)

    monkeypatch.setattr(review, "_store_run", looked_at_meanwhile)
    run = run_review(postgres, 2025, standard_in_force(date(2025, 12, 14)), "test")
    assert seen == [0]
    with postgres.connect() as connection:
        count = "SELECT count(*) FROM review_result WHERE run_id = :run"
        assert connection.scalar(text(count), {"run": run.run_id}) == run.households == 300


def _assert_same(mine: pl.DataFrame, theirs: pl.DataFrame, floats_within: float) -> None:
    assert mine.columns == theirs.columns
    assert mine.height == theirs.height
    floats = [name for name, kind in mine.schema.items() if kind.is_float()]
    exact = [name for name in mine.columns if name not in floats]
    as_text = [pl.col(name).cast(pl.String) for name in exact]
    assert mine.select(as_text).equals(theirs.select(as_text))
    for name in floats:
        gap = (mine[name] - theirs[name].cast(pl.Float64)).abs().max()
        assert gap is None or gap <= floats_within, name


def test_postgresql_counts_the_cells_as_python_sums_them(
    both_backends: tuple[Engine, Engine],
) -> None:
    from ansinh.domain.review import sum_cells
    from ansinh.store import frames
    from ansinh.store.review import _cell_inputs, _decoded, cells

    standard = standard_in_force(date(2025, 12, 14))
    _, postgres = both_backends
    _load(postgres, 400, seed=5)
    run = run_review(postgres, 2025, standard, "test")
    source = "FROM review_result WHERE id > :after AND run_id = :run_id"
    with postgres.connect() as connection:
        in_database = cells(connection, run.run_id, 0, standard)
        rows = frames.read_columns(
            connection, _cell_inputs(standard), source, {"after": 0, "run_id": run.run_id}
        )
    weights = standard.indicator_weights
    in_python = sum_cells(_decoded(rows, standard), standard.indicators, weights)
    keys = in_python.columns  # mpi_poor is summed into the counts, not kept: sort by every one
    assert in_database.columns == in_python.columns
    assert in_database.schema == in_python.schema
    assert in_database.sort(keys, nulls_last=True).equals(in_python.sort(keys, nulls_last=True))
    assert in_database["households"].sum() == 400

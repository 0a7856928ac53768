"""The yearly review, set-based: classify and store every household in SQL, then sum cells."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from ansinh.config import get_settings
from ansinh.domain.poverty import (
    PovertyStandard,
    classification_sql,
    load_standard,
    standard_in_force,
)
from ansinh.domain.poverty.sql import MAX_INDICATOR_BITS
from ansinh.domain.review import CELL_KEYS, finish_cells, rollup, sum_cells
from ansinh.domain.review_stages import periodic_review_ends, stage_rules
from ansinh.store import frames
from ansinh.store.audit import now, record_change
from ansinh.store.batch import batch_settings
from ansinh.store.db import parents_unchecked
from ansinh.store.models import SURVEY_INDICATORS, ReviewResult, ReviewRun, ReviewSummary
from ansinh.store.statistics import refresh_statistics
from ansinh.store.units import closure_frame

RESULT_COLUMNS = [
    "survey_id",
    "household_id",
    "commune_code",
    "village_code",
    "status",
    "deprivation_count",
    "mpi_score",
    "members",
    "workers",
    "meritorious_members",
    "head_ethnicity",
    "mpi_poor",
    "deprivations",
]


def _cell_inputs(standard: PovertyStandard) -> dict[str, frames.Column]:
    """What the cells need of each result (domain.review.sum_cells), in as few bits as it takes.

    The status travels as its place among the standard's statuses (0: none), the head's
    ethnicity as its two-digit code's number (0: unknown).
    """
    statuses = _statuses(standard)
    places = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(statuses, 1))
    return {
        "unit_code": ("COALESCE(village_code, commune_code)", pl.String()),
        "status": frames.Small(
            f"CASE status {places} ELSE 0 END", len(statuses).bit_length(), True
        ),
        "head_ethnicity": frames.Small("CAST(head_ethnicity AS INTEGER)", 7),
        "meritorious": frames.Small("CASE WHEN meritorious_members > 0 THEN 1 ELSE 0 END", 1, True),
        "can_work": frames.Small("CASE WHEN workers > 0 THEN 1 ELSE 0 END", 1, True),
        "mpi_poor": frames.Small("CASE WHEN mpi_poor THEN 1 ELSE 0 END", 1, True),
        "members": frames.Small("members", 15),
        "deprivations": frames.Small("deprivations", MAX_INDICATOR_BITS),
    }


def _statuses(standard: PovertyStandard) -> list[str]:
    return list(dict.fromkeys(rule.status for rule in standard.rules))


def _decoded(results: pl.DataFrame, standard: PovertyStandard) -> pl.DataFrame:
    statuses = pl.Series([None, *_statuses(standard)], dtype=pl.String)
    ethnicity = pl.col("head_ethnicity")
    return results.with_columns(
        pl.col("status").map_batches(lambda codes: statuses.gather(codes)),
        pl.when(ethnicity > 0).then(ethnicity.cast(pl.String).str.zfill(2)).alias("head_ethnicity"),
    )


@dataclass(frozen=True)
class ReviewedYear:
    run_id: int
    households: int
    summary: pl.DataFrame


def missing_indicators(standard: PovertyStandard) -> list[str]:
    return [key for key in standard.indicators if key not in SURVEY_INDICATORS]


def is_what_if(year: int, standard: PovertyStandard) -> bool:
    """A run under a provisional standard, or under a national one other than the standard in
    force for the year, is a what-if: stored apart, never the results a commune recognises."""
    if standard.provisional:
        return True
    try:
        in_force = standard_in_force(periodic_review_ends(year))
    except LookupError:
        return True
    return standard.scope == "national" and standard.id != in_force.id


def start_run(connection: Connection, year: int, standard: PovertyStandard, actor: str) -> int:
    """A new run replaces earlier runs of the same year and standard as the current one."""
    connection.execute(
        update(ReviewRun)
        .where(ReviewRun.year == year, ReviewRun.standard_id == standard.id)
        .values(current=False)
    )
    run_id = connection.execute(
        insert(ReviewRun).returning(ReviewRun.id),
        {
            "year": year,
            "standard_id": standard.id,
            "provisional": standard.provisional,
            "actor": actor,
            "started_at": now(),
            "households": 0,
            "current": True,
            "what_if": is_what_if(year, standard),
        },
    )
    return int(run_id.scalar_one())


# Each household's latest questionnaire of the year; a household has one per date (unique).
# The outer loop of the classification: SQLite runs it as a coroutine, in household order.
_LATEST = {
    # SQLite takes the bare column `id` from the row holding the MAX.
    "sqlite": """
        SELECT household_id, id AS survey_id, MAX(survey_date)
        FROM survey WHERE year = :year AND household_id BETWEEN :low AND :high
        GROUP BY household_id""",
    "postgresql": """
        SELECT DISTINCT ON (household_id) household_id, id AS survey_id
        FROM survey WHERE year = :year AND household_id BETWEEN :low AND :high
        ORDER BY household_id, survey_date DESC""",
}
# Households by id, first and last: every household, or a part of a review (below).
EVERY_HOUSEHOLD = (0, 2**62)


# The communes whose results of the year are recognised (review_stage `locks_results`) and
# held by the run they keep: a rerun copies their households' results instead of classifying
# them again. Reached through the household indexes (commune; run and household).
_KEPT = """
    SELECT st.commune_code FROM review_stage AS st
    WHERE st.year = :year AND st.stage IN :locking AND EXISTS (
        SELECT 1 FROM household AS kh
        JOIN review_result AS k ON k.household_id = kh.id AND k.run_id = :kept_run
        WHERE kh.commune_code = st.commune_code)"""


def kept_communes(connection: Connection, year: int, kept_run: int | None) -> list[str]:
    """The communes whose households keep `kept_run`'s results (none without a kept run)."""
    if kept_run is None:
        return []
    found = connection.scalars(
        text(_KEPT).bindparams(bindparam("locking", expanding=True)),
        {"year": year, "kept_run": kept_run, "locking": _locking()},
    )
    return sorted(found)


def classify_year(
    connection: Connection,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    kept_run: int | None = None,
    households: tuple[int, int] = EVERY_HOUSEHOLD,
    kept: list[str] | None = None,
) -> int:
    """Classify each household's latest questionnaire of the year and store the results, in
    one statement, set-based in SQL; return how many were stored. Members, workers, the head's
    ethnicity and meritorious members are the household's counts (store.household_facts).

    With `kept_run`, the households of the communes whose year is recognised keep that run's
    results, copied as they are (with every dated change a complaint or a regular review made
    to them); a household registered there since joins the lists by a regular review. Only
    the households whose ids lie in `households` (first, last) are classified: the range is
    said on each table joined, so that PostgreSQL reads the part's questionnaires and households
    rather than hashing the whole tables in every part (a part 10-19 % faster at 250,000).

    `kept`: those communes (`kept_communes`), found once for the parts of a run: found in each
    statement, they cost a part of 125,000 households 51 ms of its 690 even with no kept run."""
    statements, values = _storing(connection, run_id, year, standard, kept_run, households, kept)
    return sum(int(connection.execute(text(sql), values).rowcount or 0) for sql in statements)


def _storing(
    connection: Connection,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    kept_run: int | None,
    households: tuple[int, int],
    kept: list[str] | None,
) -> tuple[list[str], dict[str, object]]:
    """The INSERTs that store a part's results (`classify_year`), and their parameters: the
    classification, then the copy of the kept communes' results if there are any."""
    if kept is None:
        kept = kept_communes(connection, year, kept_run)
    sql = classification_sql(standard)
    columns = ", ".join(RESULT_COLUMNS)
    low, high = households
    values: dict[str, object] = {"run_id": run_id, "year": year, "low": low, "high": high}
    if kept:
        values |= {"kept": frames.keys_parameter(connection, kept), "kept_run": kept_run}
    among_kept = frames.among(connection, "h.commune_code", "kept")
    into = results_table(connection.dialect.name, run_id)
    outside = f"AND NOT ({among_kept})" if kept else ""
    classifying = f"""
        INSERT INTO {into} (run_id, {columns})
        SELECT :run_id, s.id, s.household_id, h.commune_code, h.village_code,
               {sql.status}, {sql.deprivation_count}, {sql.mpi_score},
               h.members, h.workers, h.meritorious_members, h.head_ethnicity,
               ({sql.mpi_poor}) = 1, {sql.deprivations}
        FROM ({_LATEST[connection.dialect.name]}) AS l
        JOIN survey AS s
            ON s.id = l.survey_id AND s.year = :year AND s.household_id BETWEEN :low AND :high
        JOIN household AS h ON h.id = l.household_id AND h.id BETWEEN :low AND :high {outside}"""
    if not kept:
        return [classifying], values
    copying = f"""
        INSERT INTO {into} (run_id, {columns})
        SELECT :run_id, {", ".join(f"r.{c}" for c in RESULT_COLUMNS)}
        FROM household AS h
        JOIN review_result AS r ON r.household_id = h.id AND r.run_id = :kept_run
        WHERE {among_kept} AND h.id BETWEEN :low AND :high"""
    return [classifying, copying], values


def classified_cells(
    connection: Connection,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    kept_run: int | None = None,
    households: tuple[int, int] = EVERY_HOUSEHOLD,
    kept: list[str] | None = None,
) -> pl.DataFrame:
    """On PostgreSQL: `classify_year`, and the counts of the cells of the results it stores,
    in one statement. The results are counted as they are written (a data-modifying WITH), not
    read back: at 1,000,000 households in two parts, reading a part's 500,000 results back
    through their index took each part 0.7-0.9 s."""
    statements, values = _storing(connection, run_id, year, standard, kept_run, households, kept)
    returning = f"RETURNING {', '.join(RESULT_COLUMNS)}"
    stored = [f"stored_{i} AS ({sql} {returning})" for i, sql in enumerate(statements)]
    every = " UNION ALL ".join(f"SELECT * FROM stored_{i}" for i in range(len(statements)))
    source = f"FROM ({every}) AS stored"
    return _counted(connection, source, values, standard, before=f"WITH {', '.join(stored)}")


def results_table(dialect: str, run_id: int) -> str:
    """Where a run's results are written: on PostgreSQL a table of the run's own, attached as
    its partition of review_result when the run commits (migration 0033)."""
    return f"review_result_{int(run_id)}" if dialect == "postgresql" else "review_result"


# PostgreSQL 15 runs the SELECT of an INSERT on one process, so a review of a province used one
# of the server's cores. On PostgreSQL a big review classifies its households in parts, ranges
# of household ids, each part's statement on a connection of its own, at once: the ranges
# follow the order households were loaded in, so in a national registry a part is mostly a
# province or a few. Each part commits on its own, before the run does, into the run's own
# table (`results_table`), which nothing reads until the run's transaction attaches it as the
# run's partition and commits; a review that fails drops it.
MIN_PART_HOUSEHOLDS = 50_000
DEFAULT_PARTS = 2


def _part_count() -> int:
    return max(1, get_settings().review_parts or DEFAULT_PARTS)


def household_parts(connection: Connection) -> list[tuple[int, int]]:
    """The ranges of household ids a review classifies at once; none for a review in one part
    (SQLite, one part asked for, or too few households for parts to pay)."""
    parts = _part_count()
    if connection.dialect.name != "postgresql" or parts == 1:
        return []
    low, high = connection.execute(text("SELECT min(id), max(id) FROM household")).one()
    if low is None or high - low + 1 < MIN_PART_HOUSEHOLDS * parts:
        return []
    step = -(-(high - low + 1) // parts)
    return [(first, min(first + step - 1, high)) for first in range(low, high + 1, step)]


def _classify_part(
    engine: Engine,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    kept_run: int | None,
    kept: list[str],
    households: tuple[int, int],
) -> tuple[int, pl.DataFrame]:
    """Classify a part and count its cells, on a connection of its own, in one transaction."""
    with engine.begin() as connection:
        batch_settings(connection)
        counted = classified_cells(connection, run_id, year, standard, kept_run, households, kept)
        return int(counted["households"].sum()), counted


def classify_in_parts(
    engine: Engine,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    kept_run: int | None,
    kept: list[str],
    parts: Sequence[tuple[int, int]],
) -> tuple[int, pl.DataFrame]:
    """Classify each part on a connection of its own, at once; how many results were stored,
    and the run's cells (the parts' counts summed: cells are additive)."""
    with ThreadPoolExecutor(len(parts), thread_name_prefix="review-part") as pool:
        done = list(
            pool.map(
                lambda part: _classify_part(engine, run_id, year, standard, kept_run, kept, part),
                parts,
            )
        )
    return sum(stored for stored, _ in done), _finished(_summed([c for _, c in done]), standard)


def _new_results_table(engine: Engine, run_id: int) -> None:
    """The run's table of results, committed so that the parts' connections write into it;
    without an index, and checked to hold the run's results only, so that attaching it as the
    run's partition reads none of them."""
    table = results_table(engine.dialect.name, run_id)
    with engine.begin() as connection:
        connection.execute(
            text(
                f"CREATE TABLE {table} (LIKE review_result INCLUDING DEFAULTS, "
                f"CONSTRAINT {table}_run CHECK (run_id = {int(run_id)}))"
            )
        )


@contextmanager
def _results_indexed_meanwhile(engine: Engine, run_id: int) -> Iterator[None]:
    """The key's index of the run's results built once, and their statistics, on a connection
    of its own while the block sums the run: 1,000,000 results' index entries cost the parts
    written one by one 0.8 s of 2.4 s each; built at once, 0.35 s for all of them."""
    with ThreadPoolExecutor(1, thread_name_prefix="review-index") as pool:
        indexed = pool.submit(_index_results, engine, run_id)
        yield
        indexed.result()


def _index_results(engine: Engine, run_id: int) -> None:
    table = results_table(engine.dialect.name, run_id)
    with engine.begin() as connection:
        batch_settings(connection)
        connection.execute(
            text(f"CREATE UNIQUE INDEX {table}_key ON {table} (run_id, household_id)")
        )
        refresh_statistics(connection, [table])


def _attach_results(connection: Connection, run_id: int) -> None:
    """The run's results become its partition of review_result, seen when the run commits.
    Their check says they are the run's, so nothing is read; the lock on review_result lets
    readers and writers of other runs go on."""
    table = results_table(connection.dialect.name, run_id)
    connection.execute(
        text(f"ALTER TABLE review_result ATTACH PARTITION {table} FOR VALUES IN ({int(run_id)})")
    )


# A review holds this lock on its run's id until its transaction ends, so that a table of
# results held by no review and attached to no run is known to be left by one that died.
_REVIEWING = text("SELECT pg_advisory_xact_lock(hashtext('review_run'), :run)")
_UNHELD = text("SELECT pg_try_advisory_xact_lock(hashtext('review_run'), :run)")
_UNATTACHED = text(
    """
    SELECT CAST(substr(c.relname, 15) AS integer) FROM pg_class c
    WHERE c.relname ~ '^review_result_[0-9]+$' AND c.relkind = 'r'
      AND c.relnamespace = CAST(current_schema() AS regnamespace)
      AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
    """
)


def _hold_run(connection: Connection, run_id: int) -> None:
    connection.execute(_REVIEWING, {"run": run_id})


def forget_abandoned_results(engine: Engine) -> list[int]:
    """Drop the tables of results that reviews killed before they could clean up left behind
    (attached to no run, and held by no review going on); return their runs' ids."""
    with engine.begin() as connection:
        unattached = connection.execute(_UNATTACHED).scalars().all()
        abandoned = [run for run in unattached if connection.scalar(_UNHELD, {"run": run})]
        for run in abandoned:
            connection.execute(text(f"DROP TABLE IF EXISTS {results_table('postgresql', run)}"))
    return abandoned


def _forget_results(engine: Engine, run_id: int) -> None:
    """Drop a failed run's table of results, which its parts may have committed; never a
    partition (a table of that name attached to another run, had the runs' ids started again)."""
    table = results_table("postgresql", run_id)
    with engine.begin() as connection:
        attached = connection.scalar(
            text("SELECT count(*) FROM pg_inherits WHERE inhrelid = to_regclass(:table)"),
            {"table": table},
        )
        if not attached:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))


def cells(
    connection: Connection, run_id: int, after: int, standard: PovertyStandard
) -> pl.DataFrame:
    """The run's additive cells, from its results (ids above `after`, the highest before it)."""
    source = "FROM review_result WHERE id > :after AND run_id = :run_id"
    parameters: dict[str, object] = {"after": after, "run_id": run_id}
    if connection.dialect.name == "postgresql":
        return _cells_counted_in_database(connection, source, parameters, standard)
    results = frames.read_columns(connection, _cell_inputs(standard), source, parameters)
    return sum_cells(_decoded(results, standard), standard.indicators, standard.indicator_weights)


def _cells_counted_in_database(
    connection: Connection, source: str, parameters: dict[str, object], standard: PovertyStandard
) -> pl.DataFrame:
    """PostgreSQL counts the cells itself (the same sums as domain.review.sum_cells): a few
    rows a village reach Python, not one a household (27 million at national size)."""
    counted = _counted(connection, source, parameters, standard)
    return _finished(counted, standard)


def _counted(
    connection: Connection,
    source: str,
    parameters: dict[str, object],
    standard: PovertyStandard,
    before: str = "",
) -> pl.DataFrame:
    """The cells' counts as the database groups them (keys still coded): additive, so that
    the counts of a review's parts are summed into the run's (`_summed`). `before`: a WITH
    that the source reads."""
    inputs = _cell_inputs(standard)
    keys = {key: inputs[key] for key in CELL_KEYS}
    deprived = {
        f"deprived_{key}": (f"SUM(members * ((deprivations >> {i}) & 1))", pl.Int64())
        for i, key in enumerate(standard.indicators)
    }
    counts: dict[str, frames.Column] = {
        "households": ("COUNT(*)", pl.Int64()),
        "people": ("SUM(members)", pl.Int64()),
        **deprived,
    }
    by_keys = ", ".join(str(place) for place in range(1, len(keys) + 1))
    return frames.read_columns(
        connection, keys | counts, f"{source} GROUP BY {by_keys}", parameters, before=before
    )


def _summed(counted: Sequence[pl.DataFrame]) -> pl.DataFrame:
    whole = pl.concat(counted)
    sums = [pl.col(c).sum() for c in whole.columns if c not in CELL_KEYS]
    return whole.group_by(CELL_KEYS, maintain_order=True).agg(sums)


def _finished(counted: pl.DataFrame, standard: PovertyStandard) -> pl.DataFrame:
    return finish_cells(
        _decoded(counted, standard), standard.indicators, standard.indicator_weights
    )


def last_result_id(connection: Connection) -> int:
    return int(connection.execute(select(func.coalesce(func.max(ReviewResult.id), 0))).scalar_one())


@dataclass(frozen=True)
class RunInfo:
    id: int
    year: int
    standard_id: str
    provisional: bool
    households: int


def current_run(
    connection: Connection, year: int | None = None, standard_id: str | None = None
) -> RunInfo | None:
    """The current run of a year (the latest year if none) and standard (any if none)."""
    runs = ReviewRun.__table__
    query = select(
        runs.c.id, runs.c.year, runs.c.standard_id, runs.c.provisional, runs.c.households
    ).where(runs.c.current.is_(True))
    if standard_id is None:  # the results communes recognise before any what-if
        query = query.order_by(runs.c.year.desc(), func.coalesce(runs.c.what_if, False))
    if year is not None:
        query = query.where(runs.c.year == year)
    if standard_id is not None:
        query = query.where(runs.c.standard_id == standard_id)
    row = connection.execute(query.order_by(runs.c.year.desc(), runs.c.id.desc())).first()
    return None if row is None else RunInfo(*row)


def store_summary(connection: Connection, run_id: int, summary: pl.DataFrame) -> None:
    columns = [c.name for c in ReviewSummary.__table__.columns if c.name not in ("id", "run_id")]
    rows = summary.with_columns(pl.lit(run_id).alias("run_id")).select("run_id", *columns)
    frames.insert_frame(connection, ReviewSummary.__table__, rows)  # type: ignore[arg-type]


def run_review(engine: Engine, year: int, standard: PovertyStandard, actor: str) -> ReviewedYear:
    """Classify, store and aggregate a year in one transaction: all of it or nothing. On
    PostgreSQL the results are written in parts into the run's own table, which the run's
    transaction attaches as its partition (nothing reads them before it commits) and which is
    dropped if it does not."""
    if engine.dialect.name != "postgresql":
        return _review_in_one(engine, year, standard, actor)
    forget_abandoned_results(engine)
    run_id = None
    try:
        with engine.connect() as connection, connection.begin():
            batch_settings(connection)
            what_if = is_what_if(year, standard)
            kept = None if what_if else official_run(connection, year)
            run_id = start_run(connection, year, standard, actor)
            _hold_run(connection, run_id)
            _new_results_table(engine, run_id)
            parts = household_parts(connection) or [EVERY_HOUSEHOLD]
            communes = kept_communes(connection, year, kept)
            households, found = classify_in_parts(
                engine, run_id, year, standard, kept, communes, parts
            )
            with _results_indexed_meanwhile(engine, run_id):
                summary = _store_run(connection, run_id, households, found, standard)
            _attach_results(connection, run_id)
            _record_run(connection, actor, run_id, year, standard, households, what_if)
    except BaseException:
        if run_id is not None:
            _forget_results(engine, run_id)
        raise
    return ReviewedYear(run_id, households, summary)


def _review_in_one(
    engine: Engine, year: int, standard: PovertyStandard, actor: str
) -> ReviewedYear:
    """SQLite's review: classified in one statement, counted after, in one transaction."""
    with engine.connect() as connection, parents_unchecked(connection), connection.begin():
        what_if = is_what_if(year, standard)
        kept = None if what_if else official_run(connection, year)
        run_id = start_run(connection, year, standard, actor)
        after = last_result_id(connection)
        communes = kept_communes(connection, year, kept)
        households = classify_year(
            connection, run_id, year, standard, kept, EVERY_HOUSEHOLD, communes
        )
        found = cells(connection, run_id, after, standard)
        summary = _store_run(connection, run_id, households, found, standard)
        _record_run(connection, actor, run_id, year, standard, households, what_if)
    return ReviewedYear(run_id, households, summary)


def _store_run(
    connection: Connection,
    run_id: int,
    households: int,
    found: pl.DataFrame,
    standard: PovertyStandard,
) -> pl.DataFrame:
    """The run's count of households and its summary, rolled up from its cells."""
    connection.execute(
        update(ReviewRun).where(ReviewRun.id == run_id).values(households=households)
    )
    summary = rollup(found, closure_frame(connection), standard.indicators)
    store_summary(connection, run_id, summary)
    refresh_statistics(connection, ["review_summary", "review_run"])
    return summary


def _record_run(
    connection: Connection,
    actor: str,
    run_id: int,
    year: int,
    standard: PovertyStandard,
    households: int,
    what_if: bool,
) -> None:
    record_change(
        connection,
        actor=actor,
        action="review",
        entity="review_run",
        key=str(run_id),
        after={
            "year": year,
            "standard": standard.id,
            "households": households,
            "what_if": what_if,
        },
    )


def official_run(connection: Connection, year: int) -> int | None:
    """The year's current run whose results the communes recognise (not a what-if)."""
    return connection.scalar(
        select(ReviewRun.id)
        .where(ReviewRun.year == year, ReviewRun.current.is_(True), ReviewRun.what_if.is_not(True))
        .where(ReviewRun.provisional.is_(False))
        .order_by(ReviewRun.id.desc())
        .limit(1)
    )


def refresh_summary(connection: Connection, run_id: int) -> None:
    """Sum a run's results again after a dated change to one of them (a complaint decided, a
    regular review): the same cells and roll-up as the run itself, set-based."""
    standard_id = connection.scalar(select(ReviewRun.standard_id).where(ReviewRun.id == run_id))
    standard = load_standard(str(standard_id))
    found = cells(connection, run_id, 0, standard)
    summary = rollup(found, closure_frame(connection), standard.indicators)
    connection.execute(delete(ReviewSummary).where(ReviewSummary.run_id == run_id))
    store_summary(connection, run_id, summary)


def _locking() -> list[str]:
    return [stage.code for stage in stage_rules().stages if stage.locks_results]

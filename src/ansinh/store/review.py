"""The yearly review, set-based: classify every household in SQL, then sum it into cells."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Engine, insert, select, text, update

from ansinh.domain.poverty import PovertyStandard, classification_sql
from ansinh.domain.poverty.alkire_foster import POOR_TOLERANCE
from ansinh.domain.review import rollup
from ansinh.store import frames
from ansinh.store.audit import now, record_change
from ansinh.store.models import SURVEY_INDICATORS, ReviewRun, ReviewSummary
from ansinh.store.units import closure_frame

# A cell is one combination of the dimensions a report can split by; its sums are additive,
# so every unit at every level is a sum of cells (see ansinh.domain.poverty.rollup).
CELL_KEYS = ["commune_code", "village_code", "head_ethnicity", "meritorious", "can_work", "status"]
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
]


@dataclass(frozen=True)
class ReviewedYear:
    run_id: int
    households: int
    summary: pl.DataFrame


def missing_indicators(standard: PovertyStandard) -> list[str]:
    return [key for key in standard.indicators if key not in SURVEY_INDICATORS]


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
        },
    )
    return int(run_id.scalar_one())


# Per-household sums staged in keyed temporary tables: joined as subqueries, SQLite scans them
# once per household (quadratic); keyed by household_id, every join is a lookup. Each reads
# one covering index in household order (migration 0007).
_SUMS = {
    "review_members": """
        SELECT household_id, COUNT(*) AS members,
               SUM(CASE WHEN able_to_work THEN 1 ELSE 0 END) AS workers,
               MAX(CASE WHEN relation = 'head' THEN ethnicity_code END) AS head_ethnicity
        FROM person GROUP BY household_id""",
    "review_meritorious": """
        SELECT person.household_id, COUNT(*) AS meritorious
        FROM benefit JOIN person ON person.id = benefit.person_id
        WHERE benefit.programme = 'meritorious' GROUP BY person.household_id""",
}
# Each household's latest questionnaire of the year; a household has one per date (unique).
_LATEST = {
    # SQLite takes the bare column `id` from the row holding the MAX.
    "sqlite": """
        SELECT household_id, survey_id FROM (
            SELECT household_id, id AS survey_id, MAX(survey_date)
            FROM survey WHERE year = :year GROUP BY household_id)""",
    "postgresql": """
        SELECT DISTINCT ON (household_id) household_id, id AS survey_id
        FROM survey WHERE year = :year ORDER BY household_id, survey_date DESC""",
}
_STAGE_COLUMNS = {
    "review_latest": "household_id INTEGER PRIMARY KEY, survey_id INTEGER NOT NULL",
    "review_members": (
        "household_id INTEGER PRIMARY KEY, members INTEGER, workers INTEGER, "
        "head_ethnicity VARCHAR(2)"
    ),
    "review_meritorious": "household_id INTEGER PRIMARY KEY, meritorious INTEGER",
}


def classify_year(connection: Connection, run_id: int, year: int, standard: PovertyStandard) -> int:
    """Classify each household's latest questionnaire of the year, set-based in SQL.

    The classified rows, with the questionnaire's flags, are left in the temporary table
    `review_classified` for `cells` to sum without joining the questionnaires again;
    `run_review` drops it.
    """
    _stage(connection, year)
    sql = classification_sql(standard)
    flags = "".join(f", s.deprived_{key} AS deprived_{key}" for key in standard.indicators)
    connection.execute(text("DROP TABLE IF EXISTS review_classified"))
    connection.execute(
        text(
            f"""
        CREATE TEMPORARY TABLE review_classified AS
        SELECT s.id AS survey_id, s.household_id, h.commune_code, h.village_code,
               {sql.status} AS status, {sql.deprivation_count} AS deprivation_count,
               {sql.mpi_score} AS mpi_score, COALESCE(m.members, 0) AS members,
               COALESCE(m.workers, 0) AS workers, COALESCE(b.meritorious, 0) AS meritorious_members,
               m.head_ethnicity AS head_ethnicity{flags}
        FROM review_latest AS l
        JOIN survey AS s ON s.id = l.survey_id
        JOIN household AS h ON h.id = l.household_id
        LEFT JOIN review_members AS m ON m.household_id = l.household_id
        LEFT JOIN review_meritorious AS b ON b.household_id = l.household_id"""
        )
    )
    columns = ", ".join(RESULT_COLUMNS)
    result = connection.execute(
        text(
            f"INSERT INTO review_result (run_id, {columns}) "
            f"SELECT :run_id, {columns} FROM review_classified"
        ),
        {"run_id": run_id},
    )
    households = int(result.rowcount or 0)
    for name in _STAGE_COLUMNS:
        connection.execute(text(f"DROP TABLE {name}"))
    connection.execute(
        update(ReviewRun).where(ReviewRun.id == run_id).values(households=households)
    )
    return households


def _stages(dialect: str) -> dict[str, str]:
    return {"review_latest": _LATEST[dialect]} | _SUMS


def _stage(connection: Connection, year: int) -> None:
    for name, query in _stages(connection.dialect.name).items():
        connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        connection.execute(text(f"CREATE TEMPORARY TABLE {name} ({_STAGE_COLUMNS[name]})"))
        # Each query selects its table's columns in their declared order.
        connection.execute(text(f"INSERT INTO {name} {query}"), {"year": year})


def cells(connection: Connection, standard: PovertyStandard) -> pl.DataFrame:
    """Additive sums per cell: households, people, and the Alkire-Foster sums weighted by people.

    Read from `review_classified`, which `classify_year` left in this transaction. Cells are
    split by whether the household is MPI-poor, so that SQLite sums each indicator once (the
    censored sums are the poor cells' sums): half the sums, a third of the query.
    """
    # The stored score against k with the tolerance of domain/poverty.md.
    poor = f"(r.mpi_score >= {standard.mpi_k - POOR_TOLERANCE!r})"
    indicator_sums = ",\n".join(
        f"SUM(r.members * COALESCE(r.deprived_{key}, 0)) AS deprived_{key}"
        for key in standard.indicators
    )
    keys = {
        "commune_code": "r.commune_code",
        "village_code": "r.village_code",
        "head_ethnicity": "r.head_ethnicity",
        "meritorious": "CASE WHEN r.meritorious_members > 0 THEN 1 ELSE 0 END",
        "can_work": "CASE WHEN r.workers > 0 THEN 1 ELSE 0 END",
        "status": "r.status",
        "mpi_poor": f"CASE WHEN {poor} THEN 1 ELSE 0 END",
    }
    statement = f"""
        SELECT {", ".join(f"{sql} AS {name}" for name, sql in keys.items())},
               COUNT(*) AS households, SUM(r.members) AS people,
               SUM(r.members * r.mpi_score) AS score_people,
               {indicator_sums}
        FROM review_classified AS r
        GROUP BY {", ".join(keys.values())}
    """
    result = connection.execute(text(statement))
    frame = pl.DataFrame(
        result.all(), schema=list(result.keys()), orient="row", infer_schema_length=None
    )
    return _censored(frame, standard)


def _censored(frame: pl.DataFrame, standard: PovertyStandard) -> pl.DataFrame:
    """The cells' MPI sums: those of the poor, and each indicator's censored headcount."""
    sums = [c for c in frame.columns if c not in (*CELL_KEYS, "mpi_poor")]
    poor = pl.col("mpi_poor").cast(pl.Float64)
    return (
        frame.with_columns(pl.col(c).cast(pl.Float64) for c in sums)
        .with_columns(
            (pl.col("people") * poor).alias("mpi_poor_people"),
            (pl.col("score_people") * poor).alias("mpi_poor_score"),
            *((pl.col(f"deprived_{k}") * poor).alias(f"censored_{k}") for k in standard.indicators),
        )
        .drop("mpi_poor", "score_people")
        .with_columns(pl.col("households", "people", "meritorious", "can_work").cast(pl.Int64))
    )


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
    """Classify, store and aggregate a year in one transaction: all of it or nothing."""
    with engine.begin() as connection:
        run_id = start_run(connection, year, standard, actor)
        households = classify_year(connection, run_id, year, standard)
        found = cells(connection, standard)
        summary = rollup(
            found, closure_frame(connection), standard.indicators, standard.indicator_weights
        )
        connection.execute(text("DROP TABLE review_classified"))
        store_summary(connection, run_id, summary)
        record_change(
            connection,
            actor=actor,
            action="review",
            entity="review_run",
            key=str(run_id),
            after={"year": year, "standard": standard.id, "households": households},
        )
    return ReviewedYear(run_id, households, summary)

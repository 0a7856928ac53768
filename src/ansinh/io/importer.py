"""`ansinh import`: a template file checked whole, then written all-or-nothing (or good rows)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import polars as pl
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from ansinh.domain.poverty import standard_in_force
from ansinh.errors import InputError, Problem
from ansinh.io.cells import write_csv
from ansinh.io.files import atomic_output
from ansinh.io.people_checks import REQUIRED as PEOPLE_REQUIRED
from ansinh.io.people_parts import check_file
from ansinh.io.survey_checks import (
    check_survey_rows,
    check_surveys_across,
    review_calendar,
    unknown_columns,
)
from ansinh.io.tables import (
    PART_ROWS,
    Outline,
    csv_outline,
    is_workbook,
    missing_columns,
    read_table,
    read_table_parts,
)
from ansinh.problems import ROW, problems
from ansinh.store.batch import batch_settings
from ansinh.store.db import writing
from ansinh.store.import_conflicts import find_conflicts, record_probes
from ansinh.store.people_import import import_people
from ansinh.store.scope import WHOLE_REGISTRY, Scope
from ansinh.store.statistics import refresh_statistics
from ansinh.store.survey_import import apply_surveys, known_households, plan_surveys
from ansinh.store.units import units_valid_on


@dataclass
class ImportResult:
    kind: str
    rows: int
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    rejected_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def detect_kind(path: Path, names: list[str]) -> str:
    columns = set(names)
    if "income_per_capita" in columns:
        return "survey"
    if "relation" in columns or "person_id" in columns:
        return "households"
    raise InputError.single(
        str(path),
        "Không nhận ra mẫu tệp: cần cột person_id và relation (hộ gia đình) hoặc "
        "income_per_capita (phiếu rà soát); xem `ansinh template`",
        "Not a known template: expected person_id and relation (households) or "
        "income_per_capita (questionnaire); see `ansinh template`",
        row=1,
    )


@dataclass
class _Request:
    """One import: its table already read, or a CSV file read a part at a time."""

    path: Path
    table: pl.DataFrame | None
    actor: str
    batch: str
    today: date
    dry_run: bool
    keep_good: bool
    rejects: Path | None
    # The units the caller may see: records outside them are never named in an error.
    scope: Scope = WHOLE_REGISTRY
    # Rows that named a record outside `scope`, logged once the import is done.
    probes: pl.DataFrame | None = None
    # A CSV file's header and lines, measured before it is parsed (when `table` is None).
    outline: Outline | None = None

    @property
    def columns(self) -> list[str]:
        return self.table.columns if self.table is not None else self._outline().columns

    @property
    def is_bulk(self) -> bool:
        rows = self.table.height if self.table is not None else self._outline().lines - 1
        return rows >= BULK_ROWS

    def parts(self) -> Iterator[pl.DataFrame]:
        """The table a part at a time (a CSV file is read again on each call)."""
        table = self.table
        if table is None:
            return read_table_parts(self.path, measured=True)
        return (table.slice(at, PART_ROWS) for at in range(0, table.height, PART_ROWS))

    def _outline(self) -> Outline:
        assert self.outline is not None, "a request holds its table or its file's outline"
        return self.outline

    @property
    def wants_rejects(self) -> bool:
        return self.keep_good and self.rejects is not None


def import_file(
    engine: Engine,
    path: Path | str,
    *,
    actor: str,
    dry_run: bool = False,
    keep_good: bool = False,
    rejects: Path | None = None,
    today: date | None = None,
    scope: Scope = WHOLE_REGISTRY,
) -> ImportResult:
    """Check the whole file; write nothing if anything is wrong, unless `keep_good`.

    A CSV file is measured first, then read a part at a time (a workbook is read whole).
    """
    path = Path(path)
    table, outline = (read_table(path), None) if is_workbook(path) else (None, csv_outline(path))
    request = _Request(
        path,
        table,
        actor,
        _batch_id(path),
        today or date.today(),
        dry_run,
        keep_good,
        rejects,
        scope,
        outline=outline,
    )
    return _import(engine, request)


def import_table(
    engine: Engine,
    path: Path,
    frame: pl.DataFrame,
    *,
    actor: str,
    batch: str,
    dry_run: bool = False,
    keep_good: bool = False,
    rejects: Path | None = None,
    today: date | None = None,
    scope: Scope = WHOLE_REGISTRY,
) -> ImportResult:
    """Import a table already read (text columns and `_row`); `path` names it in messages.

    `scope`: the units of the caller (the web's viewer), outside which no record is named.
    """
    request = _Request(
        path, frame, actor, batch, today or date.today(), dry_run, keep_good, rejects, scope
    )
    del frame  # held by the request alone from here on
    return _import(engine, request)


# What two imports writing the same new records at once end with: a unique key taken meanwhile
# (PostgreSQL), or on SQLite a snapshot older than the other's commit ("database is locked").
CONCURRENT = (
    "Một lần nhập hoặc sửa khác vừa ghi cùng các bản ghi này; không có gì được ghi, hãy nhập lại",
    "Another import or edit wrote the same records at the same time; nothing was written, "
    "import the file again",
)


def _import(engine: Engine, request: _Request) -> ImportResult:
    """The import in one transaction; one that collides with another writer is a clear error."""
    try:
        return _import_once(engine, request)
    except (IntegrityError, OperationalError) as error:
        if not _collided(error):
            raise
        raise InputError.single(request.path.name, *CONCURRENT) from None


def _collided(error: IntegrityError | OperationalError) -> bool:
    """A unique key taken by another writer, or SQLite's file held too long by one; any other
    database error is a fault, not bad input."""
    if isinstance(error, OperationalError):
        return "locked" in str(error.orig)
    unique = getattr(error.orig, "sqlstate", None) == "23505"  # PostgreSQL's unique_violation
    return unique or "UNIQUE constraint failed" in str(error.orig)


# A file of at least this many rows is a bulk load: its transaction gets a batch job's memory
# and ends by refreshing the planner's figures of the tables it wrote (store/batch.py,
# store/statistics.py); an officer's form or a small file would pay a second or so for nothing.
BULK_ROWS = 10_000
WRITTEN = {
    "households": ["household", "person", "benefit", "audit_log"],
    "survey": ["survey", "audit_log"],
}


def _import_once(engine: Engine, request: _Request) -> ImportResult:
    kind = detect_kind(request.path, request.columns)
    bulk = request.is_bulk
    with writing(engine) as connection:
        if bulk:
            batch_settings(connection)
        importer = _import_households if kind == "households" else _import_surveys
        result, rejected = importer(connection, request)
        if bulk and not request.dry_run:
            refresh_statistics(connection, WRITTEN[kind])
        if rejected is not None and request.rejects is not None:
            _write_rejects(request.rejects, rejected)
        if request.dry_run:
            connection.rollback()
    if request.probes is not None and request.probes.height:
        # On their own: a dry run, or a refused file, writes nothing else.
        with engine.begin() as connection:
            record_probes(
                connection, request.probes, actor=request.actor, batch=request.batch,
                file=request.path.name,
            )  # fmt: skip
    if result.problems and not request.keep_good:
        raise InputError(result.problems)
    return result


def _import_households(
    connection: Connection, request: _Request
) -> tuple[ImportResult, pl.DataFrame | None]:
    """The whole file is checked, and its conflicts with the registry found, before any write.

    The file is read a part at a time and its checked people kept on disk: what is held is
    their keys and a slice of households, not the whole file.
    """
    path, keep_good = request.path, request.keep_good
    missing_columns(path, request.columns, PEOPLE_REQUIRED)
    communes = units_valid_on(connection, request.today, level="commune")
    with TemporaryDirectory(prefix="ansinh-import-") as directory:
        file = check_file(
            request.parts(), request.columns, communes, request.today, Path(directory)
        )
        people = file.people
        found = problems(str(path), file.problems)
        if found and keep_good:
            people = people.without(file.households_at({p.row for p in found}))
        conflicts = find_conflicts(connection, people, request.scope)
        request.probes = conflicts.probe_frame()
        more = problems(str(path), conflicts.problems)
        if more and keep_good:
            people = people.without(file.households_at({p.row for p in more}))
        found += more
        result = ImportResult("households", file.keys.height, request.dry_run, problems=found)
        result.rejected_rows = _rejected(file.keys, people.rows())
        if not found or keep_good:
            result.counts = import_people(
                connection,
                people,
                actor=request.actor,
                batch=request.batch,
                dry_run=request.dry_run,
            )
    rejected = None
    if found and request.wants_rejects:
        rejected = _rejected_table(request.parts(), result)
    return result, rejected


def _import_surveys(
    connection: Connection, request: _Request
) -> tuple[ImportResult, pl.DataFrame | None]:
    """Each part's rows checked and typed as read (a third of the text's memory), then the rows
    across the file, before anything is planned or written."""
    path, keep_good = request.path, request.keep_good
    missing_columns(path, request.columns, ["household_id", "year", "area", "income_per_capita"])
    # Households outside the caller's units are unknown to it, as those that do not exist.
    households = known_households(connection, request.scope)
    found_frames: list[pl.DataFrame] = []
    typed: list[pl.DataFrame] = []
    for part in request.parts():
        if not typed:
            found_frames += unknown_columns(part)
        checked = check_survey_rows(part, _required_indicators(part), request.today)
        found_frames += [problems for problems in checked.problems if problems.height]
        typed.append(checked.surveys)
    surveys = pl.concat(typed)
    del typed
    across = check_surveys_across(surveys, households["household_id"])
    found = problems(str(path), found_frames + across)
    rows = surveys.select(ROW)
    if found and keep_good:
        surveys = surveys.filter(~pl.col(ROW).is_in([p.row for p in found]))
    changes = (
        plan_surveys(connection, surveys, households) if not found or keep_good else surveys.head(0)
    )
    new = changes.filter(pl.col("id").is_null()).height if "id" in changes.columns else 0
    result = ImportResult(
        "survey",
        rows.height,
        request.dry_run,
        {"new_surveys": new, "changed_surveys": changes.height - new},
        rejected_rows=_rejected(rows, surveys[ROW]),
        problems=found,
    )
    rejected = None
    if found and request.wants_rejects:
        rejected = _rejected_table(request.parts(), result)
    if (found and not keep_good) or request.dry_run:
        return result, rejected
    result.counts = apply_surveys(connection, changes, actor=request.actor, batch=request.batch)
    return result, rejected


def _required_indicators(frame: pl.DataFrame) -> dict[int, list[str]]:
    month_day = review_calendar()["default_survey_date"]
    years = frame["year"].cast(pl.Int32, strict=False).drop_nulls().unique().to_list()
    required = {}
    for year in years:
        try:  # a year such as 0 or 20255 (found by the fuzz suite) is no date
            on = date.fromisoformat(f"{year:04d}-{month_day}")
            required[year] = list(standard_in_force(on).indicators)
        except (LookupError, ValueError):
            continue  # the year is reported as invalid by the year check
    return required


def _batch_id(path: Path) -> str:
    with path.open("rb") as file:  # hashed as it is read: the file may be hundreds of MB
        digest = hashlib.file_digest(file, "sha256").hexdigest()[:12]
    return f"import-{datetime.now():%Y%m%d%H%M%S}-{digest}"


def _rejected(frame: pl.DataFrame, kept: pl.Series) -> list[int]:
    return frame.select(ROW).join(kept.to_frame(ROW), on=ROW, how="anti")[ROW].to_list()


def _rejected_table(parts: Iterable[pl.DataFrame], result: ImportResult) -> pl.DataFrame:
    """The rejected rows as they were in the file, with every reason, and the file's row number."""
    own = [(p.row, f"{p.column or ''}: {p.reason_vi} / {p.reason_en}") for p in result.problems]
    own_rows = {row for row, _ in own}
    with_household = [
        (row, "Hộ có dòng lỗi khác, bị loại cả hộ / rejected with its household")
        for row in result.rejected_rows
        if row not in own_rows
    ]
    reasons = (
        pl.DataFrame(
            own + with_household,
            schema={ROW: pl.Int64, "errors": pl.String},
            orient="row",
        )
        .group_by(ROW)
        .agg(pl.col("errors").unique(maintain_order=True).str.join(" | "))
    )
    rows = [part.join(reasons, on=ROW, how="inner") for part in parts]
    return pl.concat(rows).sort(ROW).rename({ROW: "row"})


def _write_rejects(target: Path, rejected: pl.DataFrame) -> None:
    with atomic_output(target) as tmp:
        write_csv(rejected, tmp)

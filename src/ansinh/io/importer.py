"""`ansinh import`: a template file checked whole, then written all-or-nothing (or good rows)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, select

from ansinh.domain.poverty import standard_in_force
from ansinh.errors import InputError, Problem
from ansinh.io.files import atomic_output
from ansinh.io.people_checks import REQUIRED as PEOPLE_REQUIRED
from ansinh.io.people_checks import check_people
from ansinh.io.survey_checks import check_surveys, review_calendar
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import ROW, problems
from ansinh.store.models import Household
from ansinh.store.people_import import apply_people, plan_people
from ansinh.store.survey_import import apply_surveys, plan_surveys
from ansinh.store.units import units_valid_on


@dataclass
class ImportResult:
    kind: str
    rows: int
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    rejected_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def detect_kind(path: Path, frame: pl.DataFrame) -> str:
    columns = set(frame.columns)
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


def import_file(
    engine: Engine,
    path: Path | str,
    *,
    actor: str,
    dry_run: bool = False,
    keep_good: bool = False,
    rejects: Path | None = None,
    today: date | None = None,
) -> ImportResult:
    """Check the whole file; write nothing if anything is wrong, unless `keep_good`."""
    path = Path(path)
    frame = read_table(path)
    return import_table(
        engine,
        path,
        frame,
        actor=actor,
        batch=_batch_id(path),
        dry_run=dry_run,
        keep_good=keep_good,
        rejects=rejects,
        today=today,
    )


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
) -> ImportResult:
    """Import a table already read (text columns and `_row`); `path` names it in messages."""
    today = today or date.today()
    kind = detect_kind(path, frame)
    with engine.begin() as connection:
        importer = _import_households if kind == "households" else _import_surveys
        result = importer(connection, path, frame, today, dry_run, keep_good, actor, batch)
        if result.problems and keep_good and rejects is not None:
            _write_rejects(rejects, frame, result)
        if dry_run:
            connection.rollback()
    if result.problems and not keep_good:
        raise InputError(result.problems)
    return result


def _import_households(
    connection: Connection,
    path: Path,
    frame: pl.DataFrame,
    today: date,
    dry_run: bool,
    keep_good: bool,
    actor: str,
    batch: str,
) -> ImportResult:
    require_columns(path, frame, PEOPLE_REQUIRED)
    communes = units_valid_on(connection, today, level="commune")
    checked = check_people(frame, communes, today)
    found = problems(str(path), checked.problems)
    people = checked.people
    if found and keep_good:
        people = _without_households_of(people, found)
    plan = plan_people(connection, people)
    conflicts = problems(str(path), plan.problems)
    if conflicts and keep_good:
        people = _without_households_of(people, conflicts)
        plan = plan_people(connection, people)
    found += conflicts
    result = ImportResult("households", frame.height, dry_run, plan.counts(), problems=found)
    result.rejected_rows = _rejected(frame, people)
    if (found and not keep_good) or dry_run:
        return result
    result.counts = apply_people(connection, plan, actor=actor, batch=batch)
    return result


def _without_households_of(people: pl.DataFrame, found: list[Problem]) -> pl.DataFrame:
    """Keeping the good rows keeps whole households: a household with a bad row goes."""
    bad = people.filter(pl.col(ROW).is_in([p.row for p in found]))["household_id"]
    return people.filter(~pl.col("household_id").is_in(bad.implode()))


def _import_surveys(
    connection: Connection,
    path: Path,
    frame: pl.DataFrame,
    today: date,
    dry_run: bool,
    keep_good: bool,
    actor: str,
    batch: str,
) -> ImportResult:
    require_columns(path, frame, ["household_id", "year", "area", "income_per_capita"])
    households = set(connection.scalars(select(Household.code)))
    checked = check_surveys(frame, households, _required_indicators(frame), today)
    found = problems(str(path), checked.problems)
    surveys = checked.surveys
    if found and keep_good:
        surveys = surveys.filter(~pl.col(ROW).is_in([p.row for p in found]))
    changes = plan_surveys(connection, surveys) if not found or keep_good else surveys.head(0)
    new = changes.filter(pl.col("id").is_null()).height if "id" in changes.columns else 0
    result = ImportResult(
        "survey",
        frame.height,
        dry_run,
        {"new_surveys": new, "changed_surveys": changes.height - new},
        rejected_rows=_rejected(frame, surveys),
        problems=found,
    )
    if (found and not keep_good) or dry_run:
        return result
    result.counts = apply_surveys(connection, changes, actor=actor, batch=batch)
    return result


def _required_indicators(frame: pl.DataFrame) -> dict[int, list[str]]:
    month_day = review_calendar()["default_survey_date"]
    years = frame["year"].cast(pl.Int32, strict=False).drop_nulls().unique().to_list()
    required = {}
    for year in years:
        on = date.fromisoformat(f"{year}-{month_day}")
        try:
            required[year] = list(standard_in_force(on).indicators)
        except LookupError:
            continue  # the year is reported as invalid by the year check
    return required


def _batch_id(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"import-{datetime.now():%Y%m%d%H%M%S}-{digest}"


def _rejected(frame: pl.DataFrame, kept: pl.DataFrame) -> list[int]:
    return frame.join(kept.select(ROW), on=ROW, how="anti")[ROW].to_list()


def _write_rejects(target: Path, frame: pl.DataFrame, result: ImportResult) -> None:
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
    rejected = frame.join(reasons, on=ROW, how="inner").sort(ROW).rename({ROW: "row"})
    with atomic_output(target) as tmp:
        rejected.write_csv(tmp)

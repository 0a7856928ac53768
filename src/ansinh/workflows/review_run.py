"""The yearly review as one use case: the standard of the year, the run, the targets it feeds."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, exists, func, select

from ansinh.domain.poverty import PovertyStandard, standard_in_force
from ansinh.errors import InputError
from ansinh.io.survey_checks import review_calendar
from ansinh.store.models import Survey
from ansinh.store.monitoring_indicators import feed_targets
from ansinh.store.review import missing_indicators, run_review
from ansinh.workflows.jobs import Outcome, Progress


def standard_for_year(year: int) -> PovertyStandard:
    """The standard in force on the year's usual survey day."""
    day = date.fromisoformat(f"{year}-{review_calendar()['default_survey_date']}")
    try:
        return standard_in_force(day)
    except LookupError:
        raise InputError.single(
            "--year",
            f"Không có chuẩn nghèo áp dụng năm {year}",
            f"No poverty standard in force in {year}",
        ) from None


def latest_survey_year(connection: Connection) -> int | None:
    """The latest year questionnaires are held for: the review one would run."""
    found = connection.scalar(select(func.max(Survey.year)))
    return None if found is None else int(found)


def check_standard(standard: PovertyStandard) -> None:
    missing = missing_indicators(standard)
    if missing:
        raise InputError.single(
            standard.id,
            f"Sổ chưa có cột cho chỉ số: {', '.join(missing)} (cần nâng cấp CSDL)",
            f"The registry has no column for indicator(s): {', '.join(missing)} "
            "(needs a migration)",
        )


def review_work(engine: Engine, year: int, actor: str) -> Any:
    """The review of `year` over the registry, as `ansinh review --year Y` runs it, for a job."""

    def work(progress: Progress) -> Outcome:
        progress(5, "standard")
        standard = standard_for_year(year)
        check_standard(standard)
        with engine.connect() as connection:
            if not connection.scalar(select(exists().where(Survey.year == year))):
                raise InputError.single(
                    str(year), f"Không có phiếu rà soát năm {year}", f"No questionnaires for {year}"
                )
        progress(10, "classify")
        reviewed = run_review(engine, year, standard, actor)
        progress(90, "targets")
        with engine.begin() as connection:
            fed = feed_targets(connection, actor)
        return Outcome(
            {
                "year": year,
                "standard": standard.id,
                "provisional": standard.provisional,
                "households": reviewed.households,
                "run": reviewed.run_id,
                "observations": fed["create"] + fed["update"],
            }
        )

    return work

"""Which stored run is a year's result: the current run under the standard in force that year
(what-ifs under other standards are kept apart and never taken for the year)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from ansinh.domain.poverty import PovertyStandard, standard_in_force
from ansinh.io.survey_checks import review_calendar
from ansinh.store.flows import current_runs
from ansinh.store.review import RunInfo


def standard_of_year(year: int) -> PovertyStandard | None:
    """The national standard in force on the year's review day (provisional ones too)."""
    day = date.fromisoformat(f"{year}-{review_calendar()['default_survey_date']}")
    try:
        return standard_in_force(day, include_provisional=True)
    except LookupError:
        return None


def year_results(connection: Connection, years: list[int]) -> dict[int, RunInfo]:
    """Each year's run under the standard in force that year, where there is one."""
    found: dict[int, RunInfo] = {}
    for run in current_runs(connection, years):
        standard = standard_of_year(run.year)
        if standard is not None and run.standard_id == standard.id:
            found[run.year] = run
    return found

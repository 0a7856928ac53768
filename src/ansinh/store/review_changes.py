"""The only ways a year's results change once classified: a decided complaint or a regular
review (Decision 24/2021 Art. 5), each dated, audited, and summed again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select, update

from ansinh.domain.poverty import load_standard
from ansinh.errors import InputError
from ansinh.store.audit import record_change
from ansinh.store.models import ReviewResult, ReviewRun
from ansinh.store.review import official_run, refresh_summary


def statuses_of_year(connection: Connection, year: int) -> list[str]:
    """The statuses the year's official run's standard gives (poor, near_poor, ...)."""
    run_id = official_run(connection, year)
    if run_id is None:
        return []
    standard_id = connection.scalar(select(ReviewRun.standard_id).where(ReviewRun.id == run_id))
    standard = load_standard(str(standard_id))
    return list(dict.fromkeys(rule.status for rule in standard.rules))


def status_in_year(connection: Connection, household_id: int, year: int) -> str | None:
    run_id = official_run(connection, year)
    if run_id is None:
        return None
    return connection.scalar(
        select(ReviewResult.status).where(
            ReviewResult.run_id == run_id, ReviewResult.household_id == household_id
        )
    )


def change_status(
    connection: Connection,
    *,
    household_id: int,
    year: int,
    status: str,
    reason: str,
    reference: str,
    on: date,
    actor: str,
) -> str | None:
    """Set a household's status in the year's official results; the status before. Audited
    with the reason (complaint, regular_review), its reference and date."""
    run_id = official_run(connection, year)
    if run_id is None:
        raise InputError.single(
            "review",
            f"Chưa có kết quả rà soát năm {year}",
            f"No review results for {year}",
        )
    allowed = statuses_of_year(connection, year)
    if status not in allowed:
        raise InputError.single(
            "status",
            f"Phải là một trong: {', '.join(allowed)}",
            f"Must be one of: {', '.join(allowed)}",
        )
    before = status_in_year(connection, household_id, year)
    if before is None:
        raise InputError.single(
            "household",
            f"Hộ không có trong kết quả rà soát năm {year}",
            f"The household is not in the {year} review's results",
        )
    if before == status:
        return before
    connection.execute(
        update(ReviewResult)
        .where(ReviewResult.run_id == run_id, ReviewResult.household_id == household_id)
        .values(status=status)
    )
    record_change(
        connection,
        actor=actor,
        action="review_change",
        entity="review_result",
        key=f"{run_id}/{household_id}",
        before={"status": before},
        after={"status": status, "reason": reason, "reference": reference, "on": on.isoformat()},
        household_id=household_id,
    )
    refresh_summary(connection, run_id)
    return before

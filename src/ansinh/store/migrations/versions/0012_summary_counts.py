"""review: a summary keeps each indicator's people counts instead of three ratios

Revision ID: 0012_summary_counts
Revises: 0011_household_facts
Create Date: 2026-11-23 15:00:00
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012_summary_counts"
down_revision: str | None = "0011_household_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000


def upgrade() -> None:
    # {key: [deprived, censored]} people counts: the three ratios as JSON were four fifths of
    # what a review run wrote (75 MB of 60,000 rows). The ratios were counts over `people`.
    _rewrite(_as_counts)


def downgrade() -> None:
    _rewrite(_as_ratios)


def _as_counts(indicators: dict[str, Any], people: int, _run: Any) -> dict[str, Any]:
    return {
        key: [round(v["deprived_share"] * people), round(v["censored_headcount"] * people)]
        if isinstance(v, dict)
        else v  # written by a review of this revision already
        for key, v in indicators.items()
    }


def _as_ratios(indicators: dict[str, Any], people: int, run: Any) -> dict[str, Any]:
    from ansinh.domain.poverty import load_standard

    weights = load_standard(run.standard_id).indicator_weights
    ratios = {}
    for key, counts in indicators.items():
        if isinstance(counts, dict):  # ratios already
            ratios[key] = counts
            continue
        deprived, censored = counts
        headcount = censored / people if people else 0.0
        ratios[key] = {
            "deprived_share": deprived / people if people else 0.0,
            "censored_headcount": headcount,
            "contribution": weights[key] * headcount / run.mpi_m0 if run.mpi_m0 else 0.0,
        }
    return ratios


def _rewrite(convert: Callable[[dict[str, Any], int, Any], dict[str, Any]]) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.people, s.indicators, s.mpi_m0, r.standard_id "
            "FROM review_summary AS s JOIN review_run AS r ON r.id = s.run_id"
        )
    ).all()
    update = sa.text("UPDATE review_summary SET indicators = :indicators WHERE id = :id")
    for start in range(0, len(rows), BATCH):
        changed = [
            {
                "id": row.id,
                "indicators": _json(convert(json.loads(row.indicators), row.people, row)),
            }
            for row in rows[start : start + BATCH]
        ]
        connection.execute(update, changed)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"))  # as the review writes it

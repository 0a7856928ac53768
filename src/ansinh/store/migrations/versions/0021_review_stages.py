"""review: each commune's stages with their papers, the complaints register, regular reviews,
and what-if runs kept apart from the results a commune recognises

Revision ID: 0021_review_stages
Revises: 0020_review_results_unchecked
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_review_stages"
down_revision: str | None = "0020_review_results_unchecked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recorded() -> list[sa.Column]:
    return [
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("review_run", sa.Column("what_if", sa.Boolean(), nullable=True))
    op.create_table(
        "review_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(30), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("posted_until", sa.Date(), nullable=True),
        sa.Column("attendance", sa.Integer(), nullable=True),
        sa.Column("meeting_result", sa.String(20), nullable=True),
        sa.Column("minutes_name", sa.String(200), nullable=True),
        sa.Column("minutes", sa.LargeBinary(), nullable=True),
        sa.Column("decision_no", sa.String(40), nullable=True),
        sa.Column("note", sa.String(400), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commune_code", "year", "stage"),
    )
    op.create_table(
        "review_complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("household.id"), nullable=True),
        sa.Column("complainant", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("summary", sa.String(1000), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("complex_case", sa.Boolean(), nullable=False),
        sa.Column("remote", sa.Boolean(), nullable=False),
        sa.Column("acknowledge_by", sa.Date(), nullable=False),
        sa.Column("decide_by", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("decision_no", sa.String(40), nullable=True),
        sa.Column("new_status", sa.String(20), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_review_complaint_commune_year", "review_complaint", ["commune_code", "year"]
    )
    op.create_table(
        "review_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("status_before", sa.String(20), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("status_after", sa.String(20), nullable=True),
        sa.Column("decision_no", sa.String(40), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_review_application_commune", "review_application", ["commune_code", "applied_on"]
    )


def downgrade() -> None:
    op.drop_table("review_application")
    op.drop_table("review_complaint")
    op.drop_table("review_stage")
    # Dropped in place (SQLite 3.35+ as PostgreSQL): a batch copy of review_run would break
    # the foreign keys of review_result and review_summary.
    op.drop_column("review_run", "what_if")

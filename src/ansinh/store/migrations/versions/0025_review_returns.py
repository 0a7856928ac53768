"""review: the reports the province sent back to a commune, with the reason (issue 15)

Revision ID: 0025_review_returns
Revises: 0024_finding_decisions
Create Date: 2026-12-05 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_review_returns"
down_revision: str | None = "0024_finding_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(30), nullable=False),
        sa.Column("stage_done_on", sa.Date(), nullable=False),
        sa.Column("back_to", sa.String(30), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_return_commune_year", "review_return", ["commune_code", "year"])


def downgrade() -> None:
    op.drop_index("ix_review_return_commune_year", table_name="review_return")
    op.drop_table("review_return")

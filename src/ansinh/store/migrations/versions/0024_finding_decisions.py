"""inspection: an inspector's conclusion on an overlap finding (workbench item 9)

Revision ID: 0024_finding_decisions
Revises: 0023_jobs
Create Date: 2026-12-05 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_finding_decisions"
down_revision: str | None = "0023_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspection_finding_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rule", sa.String(60), nullable=False),
        sa.Column("people", sa.String(1000), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("rule", "people"),
    )


def downgrade() -> None:
    op.drop_table("inspection_finding_decision")

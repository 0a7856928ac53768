"""jobs started from the browser: a review, an inspection, a long export, one of a kind per
scope at a time

Revision ID: 0023_jobs
Revises: 0022_exit_plans
Create Date: 2026-12-05 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_jobs"
down_revision: str | None = "0022_exit_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("scope_key", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(100), nullable=True),
        sa.Column("summary", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(200), nullable=True),
        sa.Column("file", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_job_state", "job", ["state"])
    # One running job of a kind per scope: a second start is refused by the database itself,
    # however many server processes start one at the same moment.
    running = sa.text("state = 'running'")
    op.create_index(
        "ux_job_running",
        "job",
        ["kind", "scope_key"],
        unique=True,
        sqlite_where=running,
        postgresql_where=running,
    )


def downgrade() -> None:
    op.drop_index("ux_job_running", table_name="job")
    op.drop_index("ix_job_state", table_name="job")
    op.drop_table("job")

"""programme projects and contributions (money and workdays), by programme and commune

Revision ID: 0017_monitoring_projects
Revises: 0016_monitoring
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_monitoring_projects"
down_revision: str | None = "0016_monitoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(length=80), nullable=False),
        sa.Column("programme", sa.String(length=40), nullable=False),
        sa.Column("commune_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state_capital_vnd", sa.BigInteger(), nullable=False),
        sa.Column("contribution_vnd", sa.BigInteger(), nullable=False),
        sa.Column("contribution_workdays", sa.Integer(), nullable=False),
        sa.Column("scope_code", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_code"),
    )
    op.create_index("ix_programme_project_scope_code", "programme_project", ["scope_code"])


def downgrade() -> None:
    op.drop_index("ix_programme_project_scope_code", table_name="programme_project")
    op.drop_table("programme_project")

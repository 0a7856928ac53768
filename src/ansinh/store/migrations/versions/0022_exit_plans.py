"""exit plans: a poor or near-poor household's plan of a review year and its measures

Revision ID: 0022_exit_plans
Revises: 0021_review_stages
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_exit_plans"
down_revision: str | None = "0021_review_stages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exit_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("causes", sa.String(400), nullable=False),
        sa.Column("cannot_exit", sa.Boolean(), nullable=False),
        sa.Column("helper", sa.String(200), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "year"),
    )
    op.create_index("ix_exit_plan_commune_code", "exit_plan", ["commune_code"])
    op.create_table(
        "exit_plan_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=True),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["exit_plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "measure"),
    )
    op.create_index("ix_exit_plan_measure_plan_id", "exit_plan_measure", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_exit_plan_measure_plan_id", table_name="exit_plan_measure")
    op.drop_table("exit_plan_measure")
    op.drop_index("ix_exit_plan_commune_code", table_name="exit_plan")
    op.drop_table("exit_plan")

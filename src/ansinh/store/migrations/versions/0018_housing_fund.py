"""benefits: housing support projects per household, and the gratitude fund's ledger

Revision ID: 0018_housing_fund
Revises: 0017_monitoring_projects
Create Date: 2026-12-05 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_housing_fund"
down_revision: str | None = "0017_monitoring_projects"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "housing_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("decision_no", sa.String(40), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_housing_support_household_id", "housing_support", ["household_id"])
    op.create_table(
        "fund_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(20), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("line", sa.String(30), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(400), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fund_entry_unit_code", "fund_entry", ["unit_code"])


def downgrade() -> None:
    op.drop_table("fund_entry")
    op.drop_table("housing_support")

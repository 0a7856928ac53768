"""payroll: a commune's payment run for a month and its lines

Revision ID: 0015_payroll
Revises: 0014_benefit_decisions
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_payroll"
down_revision: str | None = "0014_benefit_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("commune_code", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("total_vnd", sa.BigInteger(), nullable=False),
        sa.Column("prepared_by", sa.String(100), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(100), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "commune_code"),
    )
    op.create_index("ix_payment_run_commune_code", "payment_run", ["commune_code"])
    op.create_table(
        "payment_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("payment_run.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("benefit_id", sa.Integer(), nullable=True),
        sa.Column("programme", sa.String(40), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=True),
        sa.Column("coefficient", sa.String(12), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("marked_by", sa.String(100), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payment_line_run_id", "payment_line", ["run_id"])
    op.create_index("ix_payment_line_person", "payment_line", ["person_id", "programme", "month"])


def downgrade() -> None:
    op.drop_table("payment_line")
    op.drop_table("payment_run")

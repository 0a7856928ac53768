"""monitoring: targets, observations, programme plans and disbursements, NTM evaluations

Revision ID: 0003_monitoring
Revises: 0002
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_monitoring"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.String(length=80), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("target_group", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("unit_of_measure", sa.String(length=40), nullable=False),
        sa.Column("baseline_value", sa.String(length=40), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("target_value", sa.String(length=40), nullable=False),
        sa.Column("comparator", sa.String(length=20), nullable=False),
        sa.Column("tolerance", sa.String(length=40), nullable=False),
        sa.Column("deadline_year", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target_id", "unit_code"),
    )
    op.create_table(
        "monitoring_observation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.String(length=80), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target_id", "unit_code", "year"),
    )
    op.create_index("ix_monitoring_observation_target_id", "monitoring_observation", ["target_id"])
    op.create_table(
        "programme_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=40), nullable=False),
        sa.Column("capital_type", sa.String(length=20), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("source_year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "programme", "capital_type", "plan_year", "source_year", "unit_code", "project"
        ),
    )
    op.create_index("ix_programme_plan_plan_year", "programme_plan", ["plan_year"])
    op.create_table(
        "programme_disbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=40), nullable=False),
        sa.Column("capital_type", sa.String(length=20), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("project", sa.String(length=80), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "programme", "capital_type", "plan_year", "unit_code", "project", "date", "seq"
        ),
    )
    op.create_index("ix_programme_disbursement_plan_year", "programme_disbursement", ["plan_year"])
    op.create_table(
        "ntm_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.SmallInteger(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commune_code", "year", "criterion"),
    )
    op.create_index("ix_ntm_evaluation_year", "ntm_evaluation", ["year"])


def downgrade() -> None:
    op.drop_index("ix_ntm_evaluation_year", table_name="ntm_evaluation")
    op.drop_table("ntm_evaluation")
    op.drop_index("ix_programme_disbursement_plan_year", table_name="programme_disbursement")
    op.drop_table("programme_disbursement")
    op.drop_index("ix_programme_plan_plan_year", table_name="programme_plan")
    op.drop_table("programme_plan")
    op.drop_index("ix_monitoring_observation_target_id", table_name="monitoring_observation")
    op.drop_table("monitoring_observation")
    op.drop_table("monitoring_target")

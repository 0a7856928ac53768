"""inspection: runs, candidate duplicate pairs, overlap findings, inspectors' decisions

Revision ID: 0004_inspection
Revises: 0003_monitoring
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_inspection"
down_revision: str | None = "0003_monitoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspection_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "inspection_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_l", sa.String(length=64), nullable=False),
        sa.Column("person_r", sa.String(length=64), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("fingerprint_l", sa.String(length=64), nullable=False),
        sa.Column("fingerprint_r", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["inspection_run.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "person_l", "person_r"),
    )
    with op.batch_alter_table("inspection_candidate", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_candidate_run_id", ["run_id"])
        batch_op.create_index("ix_inspection_candidate_pair", ["person_l", "person_r"])
    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["inspection_run.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inspection_finding", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_finding_run_id", ["run_id"])
    op.create_table(
        "inspection_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_l", sa.String(length=64), nullable=False),
        sa.Column("person_r", sa.String(length=64), nullable=False),
        sa.Column("fingerprint_l", sa.String(length=64), nullable=False),
        sa.Column("fingerprint_r", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_l", "person_r"),
    )


def downgrade() -> None:
    op.drop_table("inspection_decision")
    with op.batch_alter_table("inspection_finding", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_finding_run_id")
    op.drop_table("inspection_finding")
    with op.batch_alter_table("inspection_candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_candidate_pair")
        batch_op.drop_index("ix_inspection_candidate_run_id")
    op.drop_table("inspection_candidate")
    op.drop_table("inspection_run")

"""monitoring data kept all year: each row's scope unit, targets' indicators, observations'
sources, and NTM recognitions

Revision ID: 0016_monitoring
Revises: 0015_payroll
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_monitoring"
down_revision: str | None = "0015_payroll"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the column naming the row's unit)
_SCOPED = (
    ("monitoring_target", "unit_code"),
    ("monitoring_observation", "unit_code"),
    ("programme_plan", "unit_code"),
    ("programme_disbursement", "unit_code"),
    ("ntm_evaluation", "commune_code"),
)


def upgrade() -> None:
    # Nullable columns without defaults: neither backend copies the tables to add them.
    for table, unit in _SCOPED:
        op.add_column(table, sa.Column("scope_code", sa.String(20), nullable=True))
        op.create_index(f"ix_{table}_scope_code", table, ["scope_code"])
        # A row whose unit the registry holds belongs to it; others stay without a scope (only a
        # reader of the whole country sees them) until they are loaded again under a unit.
        op.execute(
            sa.text(
                f"UPDATE {table} SET scope_code = {unit} "
                f"WHERE {unit} IN (SELECT code FROM unit WHERE level <> 'village')"
            )
        )
    op.add_column("monitoring_target", sa.Column("indicator", sa.String(60), nullable=True))
    op.add_column("monitoring_observation", sa.Column("source", sa.String(200), nullable=True))
    op.create_table(
        "ntm_recognition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("scope_code", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_code", "level"),
    )
    op.create_index("ix_ntm_recognition_scope_code", "ntm_recognition", ["scope_code"])


def downgrade() -> None:
    op.drop_index("ix_ntm_recognition_scope_code", table_name="ntm_recognition")
    op.drop_table("ntm_recognition")
    with op.batch_alter_table("monitoring_observation", schema=None) as batch_op:
        batch_op.drop_column("source")
    with op.batch_alter_table("monitoring_target", schema=None) as batch_op:
        batch_op.drop_column("indicator")
    for table, _ in reversed(_SCOPED):
        op.drop_index(f"ix_{table}_scope_code", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("scope_code")

"""payroll: when a benefit last changed, and the rules a run was computed under, so that a run
computes again only the months that can have changed

Revision ID: 0019_payroll_settled
Revises: 0018_housing_fund
Create Date: 2026-12-05 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_payroll_settled"
down_revision: str | None = "0018_housing_fund"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("benefit", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("payment_run", sa.Column("rules_version", sa.String(16), nullable=True))
    # The lines owed again (not collected, returned) are found by their status, not by reading
    # every line of the lookback; only they are in the index, which costs a payroll's million
    # pending lines nothing.
    owed_again = sa.text("status IN ('not_collected', 'returned')")
    op.create_index(
        "ix_payment_line_owed_again",
        "payment_line",
        ["run_id"],
        sqlite_where=owed_again,
        postgresql_where=owed_again,
    )


def downgrade() -> None:
    op.drop_index("ix_payment_line_owed_again", table_name="payment_line")
    with op.batch_alter_table("payment_run") as batch_op:
        batch_op.drop_column("rules_version")
    with op.batch_alter_table("benefit") as batch_op:
        batch_op.drop_column("updated_at")

"""review: each result keeps whether the household is MPI-poor and the indicators it is deprived in

Revision ID: 0010_result_deprivations
Revises: 0009_name_household
Create Date: 2026-11-23 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_result_deprivations"
down_revision: str | None = "0009_name_household"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The review sums its cells from the results it has just written, instead of keeping the
    # questionnaires' twelve flags in a temporary copy of the year. Earlier runs keep NULL.
    op.add_column("review_result", sa.Column("mpi_poor", sa.Boolean(), nullable=True))
    op.add_column("review_result", sa.Column("deprivations", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("review_result", "deprivations")
    op.drop_column("review_result", "mpi_poor")

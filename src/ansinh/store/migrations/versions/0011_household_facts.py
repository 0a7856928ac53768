"""registry: each household keeps the counts of its people that the yearly review needs

Revision ID: 0011_household_facts
Revises: 0010_result_deprivations
Create Date: 2026-11-23 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_household_facts"
down_revision: str | None = "0010_result_deprivations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The counts as store.household_facts keeps them, for every household held now.
FILL = """
UPDATE household SET
    (members, workers, head_ethnicity) = (
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.able_to_work THEN 1 ELSE 0 END), 0),
               MAX(CASE WHEN p.relation = 'head' THEN p.ethnicity_code END)
        FROM person AS p WHERE p.household_id = household.id),
    meritorious_members = (
        SELECT COUNT(*) FROM person AS p WHERE p.household_id = household.id AND EXISTS (
            SELECT 1 FROM benefit AS b
            WHERE b.person_id = p.id AND b.programme = 'meritorious'))
"""


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    # The review summed each household's people on every run: 3 s of a million households.
    op.add_column("household", _count("members"))
    op.add_column("household", _count("workers"))
    op.add_column("household", sa.Column("head_ethnicity", sa.String(2), nullable=True))
    op.add_column("household", _count("meritorious_members"))
    op.execute(FILL)


def downgrade() -> None:
    # SQLite drops a column in place (3.35+): a batch copy would drop the table people refer to.
    for column in ("meritorious_members", "head_ethnicity", "workers", "members"):
        op.drop_column("household", column)

"""audit log: the unit each change belongs to, so that a reader sees only its units' changes

Revision ID: 0013_audit_unit
Revises: 0012_summary_counts
Create Date: 2026-12-04 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_audit_unit"
down_revision: str | None = "0012_summary_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A change to a household, a member, a benefit or a questionnaire belongs to the household's
# commune; a village to its commune, another unit to itself. Changes of other records written
# before this revision (accounts, monitoring rows, review runs, decisions) stay without a unit:
# only a reader of the whole country sees them.
_BACKFILL = (
    "UPDATE audit_log SET unit_code = (SELECT h.commune_code FROM household h "
    "WHERE h.id = audit_log.household_id) WHERE household_id IS NOT NULL",
    "UPDATE audit_log SET unit_code = (SELECT CASE WHEN u.level = 'village' THEN u.parent_code "
    "ELSE u.code END FROM unit u WHERE u.code = audit_log.entity_key) WHERE entity = 'unit'",
)


def upgrade() -> None:
    # A nullable column without a default: neither backend copies the table to add it.
    op.add_column("audit_log", sa.Column("unit_code", sa.String(20), nullable=True))
    for statement in _BACKFILL:
        op.execute(sa.text(statement))
    op.create_index("ix_audit_log_unit", "audit_log", ["unit_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_unit", table_name="audit_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("unit_code")

"""audit log: the household of each change, indexed, for a household's history

Revision ID: 0005_audit_household
Revises: 0004_inspection
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_audit_household"
down_revision: str | None = "0004_inspection"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _owner(key: str) -> str:
    """SQL for the part of a key 'OWNER/LAST' before its last '/' (OWNER may hold '/'): rtrim
    strips from the right every character of the key but '/', so it stops at the last one.
    The same in SQLite and PostgreSQL."""
    upto = f"rtrim({key}, replace({key}, '/', ''))"
    return f"substr({upto}, 1, length({upto}) - 1)"


# Each kind of change the household page shows, and how its key leads to the household:
# a household by its code, a member by the person's code, a benefit 'PERSON/programme' and a
# questionnaire 'HOUSEHOLD/date'. Members never move between households (an import refuses
# it), so a person's household now is the one of each of its changes.
_BACKFILL = {
    "household": "SELECT h.id FROM household h WHERE h.code = audit_log.entity_key",
    "person": "SELECT p.household_id FROM person p WHERE p.code = audit_log.entity_key",
    "benefit": "SELECT p.household_id FROM person p "
    f"WHERE p.code = {_owner('audit_log.entity_key')}",
    "survey": f"SELECT h.id FROM household h WHERE h.code = {_owner('audit_log.entity_key')}",
}


def upgrade() -> None:
    # A nullable column without a default: SQLite adds it without copying the table.
    op.add_column("audit_log", sa.Column("household_id", sa.Integer(), nullable=True))
    for entity, owner in _BACKFILL.items():
        op.execute(
            sa.text(
                f"UPDATE audit_log SET household_id = ({owner}) WHERE entity = :entity"
            ).bindparams(entity=entity)
        )
    op.create_index("ix_audit_log_household", "audit_log", ["household_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_household", table_name="audit_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("household_id")

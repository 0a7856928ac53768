"""payroll: on PostgreSQL a payroll's lines keep no foreign keys, whose check of each line was
two thirds of writing a province's million lines

Revision ID: 0030_payment_lines_unchecked
Revises: 0029_survey_household_index
Create Date: 2026-12-05 17:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030_payment_lines_unchecked"
down_revision: str | None = "0029_survey_household_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A line's parents: its run, written in the same transaction just before its lines, and its
# person, read with the benefit the line pays. PostgreSQL checked both for each line, a trigger
# a row: COPY of 1,083,441 lines took 11.4 s with the checks and 4.5 s without. SQLite writes
# them unchecked already (store.db.parents_unchecked). Nothing else writes a line; a run is
# deleted only with its lines (store.payroll.replace_runs); a person holding a benefit or a
# payment is never deleted (store.members._check_removable), and the benefit's own key to the
# person stays.
PARENTS = {"run_id": "payment_run", "person_id": "person"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in PARENTS:
        # Dropping a constraint holds its locks for an instant: no row is read.
        op.execute(f"ALTER TABLE payment_line DROP CONSTRAINT IF EXISTS payment_line_{column}_fkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, parent in PARENTS.items():
        name = f"payment_line_{column}_fkey"
        # Added unchecked, then checked under a lock that lets writers go on (docs/decisions.md).
        op.execute(
            f"ALTER TABLE payment_line ADD CONSTRAINT {name} "
            f"FOREIGN KEY ({column}) REFERENCES {parent} (id) NOT VALID"
        )
        op.execute(f"ALTER TABLE payment_line VALIDATE CONSTRAINT {name}")

"""review: on PostgreSQL the review's results keep no foreign keys, which cost a row lock on
the household, the questionnaire and the run for every result written

Revision ID: 0020_review_results_unchecked
Revises: 0019_payroll_settled
Create Date: 2026-12-05 02:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020_review_results_unchecked"
down_revision: str | None = "0019_payroll_settled"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each result's parents, read by the review in the statement that writes it. PostgreSQL checked
# each key with a row lock on the parent (SELECT ... FOR KEY SHARE), which dirties the parent's
# page: 1.7 s of the 2.4 s of storing 50,000 results. SQLite's review already writes them
# unchecked (store.db.parents_unchecked); nothing deletes a household, questionnaire or run.
PARENTS = {"run_id": "review_run", "survey_id": "survey", "household_id": "household"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in PARENTS:
        # Dropping a constraint holds its locks for an instant: no row is read.
        op.execute(
            f"ALTER TABLE review_result DROP CONSTRAINT IF EXISTS review_result_{column}_fkey"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, parent in PARENTS.items():
        name = f"review_result_{column}_fkey"
        # Added unchecked, then checked under a lock that lets writers go on (docs/decisions.md).
        op.execute(
            f"ALTER TABLE review_result ADD CONSTRAINT {name} "
            f"FOREIGN KEY ({column}) REFERENCES {parent} (id) NOT VALID"
        )
        op.execute(f"ALTER TABLE review_result VALIDATE CONSTRAINT {name}")

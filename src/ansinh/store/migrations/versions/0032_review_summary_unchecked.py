"""review: on PostgreSQL a run's summary keeps no foreign key to its run, which the review
writes in the same transaction

Revision ID: 0032_review_summary_unchecked
Revises: 0031_review_result_key
Create Date: 2026-12-05 21:35:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032_review_summary_unchecked"
down_revision: str | None = "0031_review_result_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The review writes a run and its summary in one transaction, a row a unit and group (59,826 at
# 1,000,000 households); PostgreSQL checked each row's run with a lock on the run's row: 0.15 s
# of the 0.55 s of writing them. SQLite writes them unchecked already (store.db.parents_unchecked)
# and nothing deletes a run (migration 0020 did the same for the results).
_KEY = "review_summary_run_id_fkey"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE review_summary DROP CONSTRAINT IF EXISTS {_KEY}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Added unchecked, then checked under a lock that lets writers go on (docs/decisions.md).
    op.execute(
        f"ALTER TABLE review_summary ADD CONSTRAINT {_KEY} "
        "FOREIGN KEY (run_id) REFERENCES review_run (id) NOT VALID"
    )
    op.execute(f"ALTER TABLE review_summary VALIDATE CONSTRAINT {_KEY}")

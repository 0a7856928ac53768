"""review: a result's key is its run and household; on PostgreSQL the id has no index

Revision ID: 0031_review_result_key
Revises: 0030_payment_lines_unchecked
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

from alembic import op

from ansinh.store.schema import LateIndex

revision: str = "0031_review_result_key"
down_revision: str | None = "0030_payment_lines_unchecked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every reader of results names the run, and a household has one result in a run. On
# PostgreSQL a review writes its results in parts, at once, each on a connection of its own:
# both parts appended to the last page of the id's index, waiting on each other's lock. Two
# parts of 500,000 households took 3.1-3.3 s at once against 2.1 s alone; with this key in
# place of the id's index and the (household, run) index, 2.4-2.6 s (docs/benchmarks.md).
# Results ordered by run also put a new run's entries at the end of the index, not between
# every household's earlier ones. SQLite's id is its rowid, which costs no index.
late_indexes = [
    LateIndex(
        "ux_review_result_run_household", "review_result", ("run_id", "household_id"), unique=True
    )
]
# Dropped once the key's index is built: until then it serves the lookups by household and run.
retired_indexes = ("ix_review_result_household_run",)


def upgrade() -> None:
    # Dropping a key reads no row: an instant's lock.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE review_result DROP CONSTRAINT IF EXISTS review_result_pkey")


def downgrade() -> None:
    # A repair, not a routine: built in this transaction, under its lock.
    op.execute("DROP INDEX IF EXISTS ux_review_result_run_household")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_review_result_household_run "
        "ON review_result (household_id, run_id)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE review_result ADD PRIMARY KEY (id)")

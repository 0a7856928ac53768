"""review: on PostgreSQL each run's results are a partition of their own

Revision ID: 0033_review_results_by_run
Revises: 0032_review_summary_unchecked
Create Date: 2026-12-05 21:45:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0033_review_results_by_run"
down_revision: str | None = "0032_review_summary_unchecked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A review writes its results into a table of their own, without an index, builds the key's
# index once, and attaches the table as the run's partition when the run commits
# (store/review.py): a million results were written with their index entries one by one, two
# parts at once waiting on each other in the index (docs/benchmarks.md). Every reader names
# its run, so it reads one partition. The results held before are one partition of the runs
# they belong to: attaching it reads them once, under this transaction's lock on them.
_HELD = "review_result_held"
_KEY = "ux_review_result_run_household"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE review_result RENAME TO {_HELD}")
    op.execute(f"ALTER INDEX IF EXISTS {_KEY} RENAME TO {_HELD}_run_household")
    op.execute(
        f"CREATE TABLE review_result (LIKE {_HELD} INCLUDING DEFAULTS) PARTITION BY LIST (run_id)"
    )
    op.execute("ALTER SEQUENCE review_result_id_seq OWNED BY review_result.id")
    op.execute(f"CREATE UNIQUE INDEX {_KEY} ON review_result (run_id, household_id)")
    runs = op.get_bind().scalars(text(f"SELECT DISTINCT run_id FROM {_HELD} ORDER BY run_id")).all()
    if not runs:
        op.execute(f"DROP TABLE {_HELD}")
        return
    listed = ", ".join(str(int(run)) for run in runs)
    op.execute(f"ALTER TABLE review_result ATTACH PARTITION {_HELD} FOR VALUES IN ({listed})")
    # 0031's index of the results held, if its build after the migrations has not run yet: the
    # partition's own key serves their lookups from now on.
    op.execute("DROP INDEX IF EXISTS ix_review_result_household_run")


def downgrade() -> None:
    # A repair, not a routine: every result copied into one table again, under lock.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE review_result RENAME TO review_result_by_run")
    op.execute(f"ALTER INDEX {_KEY} RENAME TO review_result_by_run_key")
    op.execute("CREATE TABLE review_result (LIKE review_result_by_run INCLUDING DEFAULTS)")
    op.execute("ALTER SEQUENCE review_result_id_seq OWNED BY review_result.id")
    op.execute("INSERT INTO review_result SELECT * FROM review_result_by_run")
    op.execute("DROP TABLE review_result_by_run")
    op.execute(f"CREATE UNIQUE INDEX {_KEY} ON review_result (run_id, household_id)")

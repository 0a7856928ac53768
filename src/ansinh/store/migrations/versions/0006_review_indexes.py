"""review: benefits found by programme; two review_result indexes that others already cover

Revision ID: 0006_review_indexes
Revises: 0005_audit_household
Create Date: 2026-11-23 09:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_review_indexes"
down_revision: str | None = "0005_audit_household"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The review counts each household's meritorious people: 1.4 s scanning every benefit of a
    # million-household province, 0.2 s by this index.
    op.create_index("ix_benefit_programme_person", "benefit", ["programme", "person_id"])
    # (household_id, run_id) and (run_id, commune_code) serve every lookup these served; each
    # index costs the review's million-row insert about 0.7 s.
    op.drop_index("ix_review_result_household_id", table_name="review_result")
    op.drop_index("ix_review_result_run_id", table_name="review_result")


def downgrade() -> None:
    op.create_index("ix_review_result_run_id", "review_result", ["run_id"])
    op.create_index("ix_review_result_household_id", "review_result", ["household_id"])
    op.drop_index("ix_benefit_programme_person", table_name="benefit")

"""benefits: a benefit is a decision (number, date, first and last month owed, why it ended),
one per person, programme and category; a person's disability level; disadvantaged units

Revision ID: 0014_benefit_decisions
Revises: 0013_audit_unit
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_benefit_decisions"
down_revision: str | None = "0013_audit_unit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEPT = "id, person_id, programme, category"


def _decision() -> list[sa.Column[object]]:
    return [
        sa.Column("decision_no", sa.String(40), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("start_month", sa.Date(), nullable=True),
        sa.Column("end_month", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(30), nullable=True),
        sa.Column("injury_rate", sa.Integer(), nullable=True),
        sa.Column("children", sa.Integer(), nullable=True),
    ]


def _benefit_table(name: str, unique: tuple[str, ...], decisions: bool) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("programme", sa.String(40), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        *(_decision() if decisions else []),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(*unique),
    )


def _swap(unique: tuple[str, ...], decisions: bool) -> None:
    """The benefit table again with another key: both backends, without naming the old key
    (SQLite's was created without a name)."""
    _benefit_table("benefit_new", unique, decisions)
    op.execute(sa.text(f"INSERT INTO benefit_new ({KEPT}) SELECT {KEPT} FROM benefit"))
    op.drop_index("ix_benefit_programme_person", table_name="benefit")
    op.drop_index("ix_benefit_person_id", table_name="benefit")
    op.drop_table("benefit")
    op.rename_table("benefit_new", "benefit")
    op.create_index("ix_benefit_person_id", "benefit", ["person_id"])
    op.create_index("ix_benefit_programme_person", "benefit", ["programme", "person_id"])


def upgrade() -> None:
    # Ordinance 02/2020 Art. 6(3) pays each category of a person: one row per category, not per
    # programme. The decisions of rows held before this revision are unknown: left empty.
    _swap(("person_id", "programme", "category"), decisions=True)
    op.add_column("person", sa.Column("disability", sa.String(20), nullable=True))
    op.add_column("unit", sa.Column("disadvantaged", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("unit", "disadvantaged")
    op.drop_column("person", "disability")
    # Back to one row per programme: a person's other categories of a programme go.
    op.execute(
        sa.text(
            "DELETE FROM benefit WHERE id NOT IN "
            "(SELECT MIN(id) FROM benefit GROUP BY person_id, programme)"
        )
    )
    _swap(("person_id", "programme"), decisions=False)

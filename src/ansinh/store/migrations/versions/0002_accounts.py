"""accounts: officers, their units, sign-in tokens, failed sign-ins; a word index of names

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "account_unit",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("account_id", "unit_code"),
    )
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_token_account_id"), ["account_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_key_at", ["key", "at"])
    _name_index_up()


# Search finds people by any word of their folded name. SQLite: an FTS5 index over
# person.name_folded kept current by triggers, so that every writer updates it. PostgreSQL:
# a GIN index on the words of the same column (ansinh.store.search uses the same expression).
_SQLITE_NAME_INDEX = [
    "CREATE VIRTUAL TABLE person_name USING fts5("
    "name_folded, content='person', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER person_name_ai AFTER INSERT ON person BEGIN "
    "INSERT INTO person_name(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER person_name_ad AFTER DELETE ON person BEGIN "
    "INSERT INTO person_name(person_name, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER person_name_au AFTER UPDATE OF name_folded ON person BEGIN "
    "INSERT INTO person_name(person_name, rowid, name_folded) "
    "VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO person_name(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "INSERT INTO person_name(person_name) VALUES ('rebuild')",
]
_POSTGRES_NAME_INDEX = (
    "CREATE INDEX ix_person_name_words ON person "
    "USING gin (to_tsvector('simple'::regconfig, name_folded))"
)


# A household's result in a run: without it, the lookup walks the run's million results.
_RESULT_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_review_result_household_run "
    "ON review_result (household_id, run_id)"
)


def _name_index_up() -> None:
    op.execute(_RESULT_INDEX)
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_NAME_INDEX:
            op.execute(statement)
    else:
        op.execute(_POSTGRES_NAME_INDEX)


def _name_index_down() -> None:
    op.execute("DROP INDEX IF EXISTS ix_review_result_household_run")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("person_name_ai", "person_name_ad", "person_name_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS person_name")
    else:
        op.execute("DROP INDEX IF EXISTS ix_person_name_words")


def downgrade() -> None:
    _name_index_down()
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_key_at")
    op.drop_table("login_failure")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_token_account_id"))
    op.drop_table("account_token")
    op.drop_table("account_unit")
    op.drop_table("account")

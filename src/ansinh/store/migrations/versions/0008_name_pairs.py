"""search: an index of every two words of each name (SQLite)

Revision ID: 0008_name_pairs
Revises: 0007_review_covering
Create Date: 2026-11-23 12:10:00
"""

from collections.abc import Sequence

from alembic import op

from ansinh.store.db import register_functions

revision: str = "0008_name_pairs"
down_revision: str | None = "0007_review_covering"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Contentless: only ids are read back, and name_pairs gives a deleted name's tokens again.
# detail=none: a search asks only whether a name holds a pair, never where.
_CREATE = [
    "CREATE VIRTUAL TABLE person_name_pair USING fts5(pairs, content='', "
    "tokenize=\"unicode61 tokenchars '_'\", detail=none, columnsize=0)",
    "CREATE TRIGGER person_name_pair_ai AFTER INSERT ON person BEGIN "
    "INSERT INTO person_name_pair(rowid, pairs) VALUES (new.id, name_pairs(new.name_folded)); "
    "END",
    "CREATE TRIGGER person_name_pair_ad AFTER DELETE ON person BEGIN "
    "INSERT INTO person_name_pair(person_name_pair, rowid, pairs) "
    "VALUES ('delete', old.id, name_pairs(old.name_folded)); END",
    "CREATE TRIGGER person_name_pair_au AFTER UPDATE OF name_folded ON person BEGIN "
    "INSERT INTO person_name_pair(person_name_pair, rowid, pairs) "
    "VALUES ('delete', old.id, name_pairs(old.name_folded)); "
    "INSERT INTO person_name_pair(rowid, pairs) VALUES (new.id, name_pairs(new.name_folded)); "
    "END",
    "INSERT INTO person_name_pair(rowid, pairs) SELECT id, name_pairs(name_folded) FROM person",
]
_DROP = [
    "DROP TRIGGER IF EXISTS person_name_pair_au",
    "DROP TRIGGER IF EXISTS person_name_pair_ad",
    "DROP TRIGGER IF EXISTS person_name_pair_ai",
    "DROP TABLE IF EXISTS person_name_pair",
]


def upgrade() -> None:
    # PostgreSQL's GIN index on the folded name answers the same searches (migration 0002).
    if op.get_bind().dialect.name != "sqlite":
        return
    # Alembic's own command line opens a connection without An Sinh's functions.
    register_functions(op.get_bind().connection.dbapi_connection)
    for statement in _CREATE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP:
        op.execute(statement)

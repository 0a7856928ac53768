"""The word indexes of people's names after a bulk insert: filled in one statement on SQLite,
their pending entries merged on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, bindparam, text

# Each index's insert trigger, and the statement that does its work for many people at once:
# the words (migration 0002) and every two words (migration 0008) of each name.
_FILLS = {
    "person_name_ai": (
        "INSERT INTO person_name(rowid, name_folded) "
        "SELECT id, name_folded FROM person WHERE id >= :first"
    ),
    "person_name_pair_ai": (
        "INSERT INTO person_name_pair(rowid, pairs) "
        "SELECT id, name_pairs(name_folded) FROM person WHERE id >= :first"
    ),
}


# PostgreSQL's GIN indexes (the names' words and pairs) take new entries into a pending list,
# merged into the index proper once it passes gin_pending_list_limit (4 MB for a batch job) or
# at a vacuum, which an insert-only table of millions rarely gets; every search reads the whole
# list until then. After the import of a province onto four, the pairs' index kept 334 pages
# (31,913 entries) pending, and each search of a name read them: a search alone took a median
# of 21.9 ms, then 8.5 ms once they were merged (78 ms). Merging needs the index's owner.
_MERGE_PENDING = text(
    """
    SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index AS i
    JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS a ON a.oid = c.relam
    WHERE i.indrelid = CAST('person' AS regclass) AND a.amname = 'gin'
      AND i.indisvalid AND pg_has_role(current_user, c.relowner, 'USAGE')
    """
)


@contextmanager
def indexed_after(connection: Connection) -> Iterator[None]:
    """People inserted inside the block enter the name indexes together when it ends.

    The word index's insert trigger runs once per row and made inserting 200,000 people take
    12.0 s instead of 3.4 s plus 1.5 s for one INSERT ... SELECT. The triggers are dropped and
    re-created from their own stored SQL inside the caller's transaction, so a failed import
    rolls back to the triggers as they were. On PostgreSQL the entries left pending are merged.
    """
    if connection.dialect.name == "postgresql":
        yield
        connection.execute(_MERGE_PENDING).all()
        return
    triggers = _triggers(connection)
    if not triggers:
        yield
        return
    # Python's sqlite3 opens a transaction only before a data change: a DROP before the first
    # would be committed on its own and outlive a failed import.
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN")
    first = connection.scalar(text("SELECT COALESCE(MAX(id), 0) + 1 FROM person"))
    for name in triggers:
        connection.execute(text(f"DROP TRIGGER {name}"))
    yield
    for name, sql in triggers.items():
        connection.execute(text(_FILLS[name]), {"first": first})
        connection.execute(text(sql))


def _triggers(connection: Connection) -> dict[str, str]:
    """The stored SQL of each insert trigger present (none on PostgreSQL)."""
    if connection.dialect.name != "sqlite":
        return {}
    query = text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN :names"
    ).bindparams(bindparam("names", expanding=True))
    rows = connection.execute(query, {"names": list(_FILLS)})
    return {str(name): str(sql) for name, sql in rows}

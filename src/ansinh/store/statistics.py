"""The planner's statistics of tables a bulk write has just changed, refreshed with it."""

from __future__ import annotations

from sqlalchemy import Connection, text

# PostgreSQL plans from statistics that autovacuum refreshes some time after a change, and not
# at all where it is off. A review writes a million results at once: planned on the figures of
# the run before, the posting lists' query took a nested loop over every household (13.6 s
# against 1.8 s at 1,000,000 households, docs/benchmarks.md). ANALYZE reads a sample (about
# 30,000 rows a table) whatever the size, and inside the writer's transaction its figures
# commit with the rows. SQLite plans from its indexes alone unless ANALYZE was ever run.


def refresh_statistics(connection: Connection, tables: list[str]) -> None:
    """ANALYZE `tables` on PostgreSQL; nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(text(f"ANALYZE {connection.dialect.identifier_preparer.quote(table)}"))

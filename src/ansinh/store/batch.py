"""PostgreSQL settings for the transaction of a batch job over a whole province."""

from __future__ import annotations

from sqlalchemy import Connection, text

# Memory for each sort and hash of a statement. The server's default (4 MB) suits many small
# queries of the web pages; a review joins and sorts a million questionnaires, and at 4 MB it
# spilled them to disk in eight batches: classifying 1,000,000 households took 9.5-10.0 s
# against 5.4-5.7 s at 64 MB (docs/benchmarks.md). SET LOCAL ends with the transaction, so
# the pool's connections go back to the web pages as the server set them.
WORK_MEM = "64MB"
# Memory for building an index: the first load of an empty registry builds its indexes after
# the rows (store/initial_load.py), and PostgreSQL's 64 MB sorts a million people's keys on disk.
MAINTENANCE_WORK_MEM = "256MB"
# A batch job's inserts wait in the name indexes' pending lists up to PostgreSQL's default, to be
# merged many at a time (store/db.py keeps the lists of the other sessions short).
BATCH_PENDING_LIST = "4MB"


def batch_settings(connection: Connection) -> None:
    """Give the current transaction a batch job's memory on PostgreSQL; nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    connection.execute(text(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'"))
    connection.execute(text(f"SET LOCAL gin_pending_list_limit = '{BATCH_PENDING_LIST}'"))

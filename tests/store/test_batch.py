"""A batch job's transaction on PostgreSQL has a batch job's memory (store/batch.py)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from ansinh.store.batch import BATCH_PENDING_LIST, WORK_MEM, batch_settings
from ansinh.store.db import PENDING_LIST


def test_a_batch_transaction_has_a_batch_jobs_memory(engine: Engine) -> None:
    with engine.connect() as connection, connection.begin():
        batch_settings(connection)
        if engine.dialect.name == "postgresql":
            assert connection.scalar(text("SHOW work_mem")) == WORK_MEM
    if engine.dialect.name == "postgresql":  # SET LOCAL: over with its transaction
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW work_mem")) != WORK_MEM


def test_a_batch_transaction_lets_the_name_indexes_gather_more_pending(engine: Engine) -> None:
    """Other sessions keep the GIN indexes' pending lists short, which searches read whole."""
    if engine.dialect.name != "postgresql":
        return
    shown = text("SHOW gin_pending_list_limit")
    with engine.connect() as connection:
        assert connection.scalar(shown) == PENDING_LIST
        connection.rollback()
        with connection.begin():
            batch_settings(connection)
            assert connection.scalar(shown) == BATCH_PENDING_LIST
        assert connection.scalar(shown) == PENDING_LIST

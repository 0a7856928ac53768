"""A batch job's transaction on PostgreSQL has a batch job's memory (store/batch.py)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from ansinh.store.batch import WORK_MEM, batch_settings


def test_a_batch_transaction_has_a_batch_jobs_memory(engine: Engine) -> None:
    with engine.connect() as connection, connection.begin():
        batch_settings(connection)
        if engine.dialect.name == "postgresql":
            assert connection.scalar(text("SHOW work_mem")) == WORK_MEM
    if engine.dialect.name == "postgresql":  # SET LOCAL: over with its transaction
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW work_mem")) != WORK_MEM

"""The jobs table: work started from the browser (a review, an inspection, a long export)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base

# A job's life: running until it ends done or failed (a job whose worker died is failed by
# whoever notices it has not beaten for a while, store/jobs.py).
JOB_STATES = ("running", "done", "failed")
# At most one running job of a kind per scope (migration 0020): the index refuses a second.
RUNNING = text("state = 'running'")


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        Index(
            "ux_job_running",
            "kind",
            "scope_key",
            unique=True,
            sqlite_where=RUNNING,
            postgresql_where=RUNNING,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # review, inspection, export
    scope_key: Mapped[str] = mapped_column(String(200))  # "*" for the whole registry
    state: Mapped[str] = mapped_column(String(10), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(100))  # host:pid of the process running it
    params: Mapped[str] = mapped_column(Text)  # JSON
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    stage: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(Text)  # JSON, when done
    error: Mapped[str | None] = mapped_column(Text)  # "vi / en", when failed
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # an export's file

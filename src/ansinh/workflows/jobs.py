"""Running a job in a thread of the server: its beats, its progress, its end, never left running."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from ansinh.errors import InputError
from ansinh.store import jobs
from ansinh.store.jobs import BEAT_SECONDS

log = logging.getLogger("ansinh.jobs")


@dataclass
class Outcome:
    """What a job leaves: a summary shown on its page, and an export's file if it made one."""

    summary: dict[str, Any]
    file_name: str | None = None
    file: bytes | None = None


@dataclass
class Progress:
    """How far a running job of this process is: read by its page while the database may be
    held by the job itself (a SQLite review writes in one transaction)."""

    percent: int = 0
    stage: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def __call__(self, percent: int, stage: str) -> None:
        self.percent, self.stage = percent, stage


Work = Callable[[Progress], Outcome]
# The jobs this process runs, by id.
_live: dict[int, Progress] = {}


def live_progress(job_id: int) -> Progress | None:
    return _live.get(job_id)


def run_in_background(engine: Engine, job_id: int, work: Work) -> threading.Thread:
    """Run `work` in a thread of its own and end the job done or failed; a beat every
    BEAT_SECONDS writes its progress and tells readers it is alive."""
    progress = Progress()
    _live[job_id] = progress
    thread = threading.Thread(
        target=_run, args=(engine, job_id, work, progress), name=f"job-{job_id}", daemon=True
    )
    threading.Thread(target=_beat, args=(engine, job_id, progress), daemon=True).start()
    thread.start()
    return thread


def _run(engine: Engine, job_id: int, work: Work, progress: Progress) -> None:
    try:
        outcome = work(progress)
        jobs.finish_job(
            engine, job_id, outcome.summary, file_name=outcome.file_name, file=outcome.file
        )
    except InputError as error:
        jobs.fail_job(engine, job_id, error.summary())
    except Exception as error:  # a fault: said plainly, logged by class (no personal data)
        log.error("job %s failed: %s", job_id, type(error).__name__)
        jobs.fail_job(engine, job_id, failure_message(error))
    finally:
        progress.done.set()
        _live.pop(job_id, None)


def failure_message(error: Exception) -> str:
    return (
        f"Lỗi khi chạy ({type(error).__name__}); không có gì được ghi, xem nhật ký máy chủ / "
        f"the job failed ({type(error).__name__}); nothing was written, see the server's log"
    )


def _beat(engine: Engine, job_id: int, progress: Progress) -> None:
    while not progress.done.wait(BEAT_SECONDS):
        try:
            jobs.beat(engine, job_id, progress.percent, progress.stage)
        except Exception as error:  # a busy database: the next beat will do
            log.info("job %s beat skipped: %s", job_id, type(error).__name__)

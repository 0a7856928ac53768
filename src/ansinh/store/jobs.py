"""Jobs in the database: one running of a kind per scope, their progress, end, and the dead."""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from ansinh.store.audit import now, record_change
from ansinh.store.job_models import Job

JOB: Table = Job.__table__  # type: ignore[assignment]
# A running job beats every BEAT_SECONDS (workflows/jobs.py). One held by a process of this
# machine that is gone died with it; one of another machine silent for STALE is taken for dead
# (on SQLite a review holds the write lock for its whole run, and the beats wait for it).
BEAT_SECONDS = 5
STALE = timedelta(minutes=10)
DIED = (
    "Công việc đã dừng giữa chừng (máy chủ khởi động lại hoặc tiến trình bị dừng); "
    "không có gì được ghi, hãy chạy lại / the job stopped midway (the server restarted or its "
    "process was stopped); nothing was written, start it again"
)


class JobRunning(Exception):
    """A job of the same kind and scope is running: one at a time."""

    def __init__(self, job_id: int | None) -> None:
        super().__init__(job_id)
        self.job_id = job_id


@dataclass(frozen=True)
class JobInfo:
    id: int
    kind: str
    scope_key: str
    state: str
    actor: str
    params: dict[str, Any]
    progress: int
    stage: str | None
    summary: dict[str, Any] | None
    error: str | None
    started_at: datetime
    finished_at: datetime | None
    file_name: str | None

    @property
    def running(self) -> bool:
        return self.state == "running"


_COLUMNS = (
    JOB.c.id,
    JOB.c.kind,
    JOB.c.scope_key,
    JOB.c.state,
    JOB.c.actor,
    JOB.c.params,
    JOB.c.progress,
    JOB.c.stage,
    JOB.c.summary,
    JOB.c.error,
    JOB.c.started_at,
    JOB.c.finished_at,
    JOB.c.file_name,
)


def _info(row: Any) -> JobInfo:
    values = list(row)
    values[5] = json.loads(values[5])
    values[8] = json.loads(values[8]) if values[8] else None
    return JobInfo(*values)


# Told apart from an earlier process of the same number (a container's server is often pid 1).
_STARTED = secrets.token_hex(4)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_STARTED}"


def start_job(engine: Engine, kind: str, scope_key: str, params: dict[str, Any], actor: str) -> int:
    """A new running job of this process, audited; JobRunning if one of its kind and scope
    runs already (the database's unique index decides, whichever process asks)."""
    fail_dead(engine)
    stamp = now()
    values = {
        "kind": kind,
        "scope_key": scope_key,
        "state": "running",
        "actor": actor,
        "owner": this_process(),
        "params": json.dumps(params, ensure_ascii=False),
        "progress": 0,
        "started_at": stamp,
        "beat_at": stamp,
    }
    try:
        with engine.begin() as connection:
            job_id = int(connection.execute(insert(JOB).returning(JOB.c.id), values).scalar_one())
            after = {"kind": kind, "scope": scope_key, **params}
            record_change(
                connection, actor=actor, action="start", entity="job", key=str(job_id), after=after
            )
    except IntegrityError:
        with engine.connect() as connection:
            raise JobRunning(running_job(connection, kind, scope_key)) from None
    return job_id


def running_job(connection: Connection, kind: str, scope_key: str) -> int | None:
    query = select(JOB.c.id).where(
        JOB.c.kind == kind, JOB.c.scope_key == scope_key, JOB.c.state == "running"
    )
    found = connection.scalar(query)
    return None if found is None else int(found)


def beat(engine: Engine, job_id: int, progress: int, stage: str | None) -> None:
    """The job is alive, at `progress` percent, in `stage`."""
    values = {"beat_at": now(), "progress": max(0, min(100, progress)), "stage": stage}
    with engine.begin() as connection:
        connection.execute(
            update(JOB).where(JOB.c.id == job_id, JOB.c.state == "running").values(**values)
        )


def finish_job(
    engine: Engine,
    job_id: int,
    summary: dict[str, Any],
    *,
    file_name: str | None = None,
    file: bytes | None = None,
) -> None:
    summary_text = json.dumps(summary, ensure_ascii=False)
    values = {"summary": summary_text, "progress": 100, "file_name": file_name, "file": file}
    _end(engine, job_id, "done", values)


def fail_job(engine: Engine, job_id: int, error: str) -> None:
    _end(engine, job_id, "failed", {"error": error})


def _end(engine: Engine, job_id: int, state: str, values: dict[str, Any]) -> None:
    """End a running job (audited); a job ended already is left as it is."""
    with engine.begin() as connection:
        ended = connection.execute(
            update(JOB)
            .where(JOB.c.id == job_id, JOB.c.state == "running")
            .values(state=state, finished_at=now(), beat_at=now(), **values)
            .returning(JOB.c.actor, JOB.c.kind)
        ).first()
        if ended is None:
            return
        after = {"kind": ended.kind, "state": state, "error": values.get("error")}
        record_change(
            connection, actor=ended.actor, action=state, entity="job", key=str(job_id), after=after
        )


def _alive(owner: str, beat_at: datetime, limit: datetime) -> bool:
    host, pid, started = [*owner.split(":"), "", ""][:3]
    if host != socket.gethostname():
        return beat_at.replace(tzinfo=None) >= limit.replace(tzinfo=None)
    if pid == str(os.getpid()):
        return started == _STARTED
    try:
        os.kill(int(pid), 0)  # signal 0: is the process there at all
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def fail_dead(engine: Engine, *, at: datetime | None = None) -> int:
    """Fail every running job whose process is gone (a server start calls this, and every
    read of the jobs): none stays 'running' for ever. How many were failed."""
    limit = (at or now()) - STALE
    with engine.connect() as connection:
        rows = connection.execute(
            select(JOB.c.id, JOB.c.owner, JOB.c.beat_at).where(JOB.c.state == "running")
        ).all()
    dead = [row.id for row in rows if not _alive(row.owner, row.beat_at, limit)]
    for job_id in dead:
        fail_job(engine, job_id, DIED)
    return len(dead)


def recent_jobs(
    connection: Connection, kinds: tuple[str, ...], scopes: tuple[str, ...], limit: int = 10
) -> list[JobInfo]:
    """The latest jobs of these kinds and scopes, newest first."""
    query = (
        select(*_COLUMNS)
        .where(JOB.c.kind.in_(kinds), JOB.c.scope_key.in_(scopes))
        .order_by(JOB.c.id.desc())
        .limit(limit)
    )
    return [_info(row) for row in connection.execute(query)]


def get_job(connection: Connection, job_id: int) -> JobInfo | None:
    row = connection.execute(select(*_COLUMNS).where(JOB.c.id == job_id)).first()
    return None if row is None else _info(row)


def job_file(connection: Connection, job_id: int) -> bytes | None:
    found = connection.scalar(select(JOB.c.file).where(JOB.c.id == job_id))
    return None if found is None else bytes(found)

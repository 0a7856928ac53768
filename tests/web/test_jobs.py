"""Jobs started from the browser: review and inspection in the background, one at a time,
audited, followed after a reload, and never left running once their process is gone."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

from sqlalchemy import func, insert, select
from tests.web.conftest import Site, csrf_of

from ansinh.store.audit import now
from ansinh.store.jobs import JOB, STALE, JobRunning, fail_dead, get_job, start_job
from ansinh.store.models import AuditEntry, ReviewRun


def _wait(site: Site, job_id: int, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with site.engine.connect() as connection:
            job = get_job(connection, job_id)
        assert job is not None
        if not job.running:
            return job.state
        time.sleep(0.1)
    raise AssertionError("the job did not end")


def _start(site: Site, who: str, kind: str, year: str = "2025") -> tuple[int, object]:
    browser = site.browser(who)
    token = csrf_of(browser.get("/jobs").text)
    answer = browser.post(
        f"/jobs/{kind}", data={"csrf_token": token, "year": year}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    with site.engine.connect() as connection:
        job_id = int(connection.scalar(select(func.max(JOB.c.id))) or 0)
    return job_id, browser


def test_the_administrator_runs_the_review_and_sees_its_summary(site: Site) -> None:
    with site.engine.connect() as connection:
        runs = connection.scalar(select(func.count()).select_from(ReviewRun))
    job_id, admin = _start(site, "admin", "review")
    assert _wait(site, job_id) == "done"
    page = admin.get("/jobs")  # a reload: the summary is read from the database
    assert "Xong" in page.text and "2 hộ đã phân loại theo chuẩn vn-2022-2025" in page.text
    row = admin.get(f"/jobs/{job_id}", headers={"hx-request": "true"})
    assert "hx-trigger" not in row.text  # a job that ended is polled no more
    with site.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReviewRun)) == runs + 1
        actions = set(
            connection.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.entity == "job", AuditEntry.entity_key == str(job_id)
                )
            )
        )
    assert actions == {"start", "done"}


def test_a_year_without_questionnaires_fails_with_a_clear_message(site: Site) -> None:
    job_id, admin = _start(site, "admin", "review", "2024")
    assert _wait(site, job_id) == "failed"
    assert "Không có phiếu rà soát năm 2024" in admin.get("/jobs").text


def test_only_the_roles_allowed_may_start_a_job(site: Site) -> None:
    for who, kind in (("officer", "review"), ("viewer", "review"), ("officer", "inspection")):
        browser = site.browser(who)
        token = csrf_of(browser.get("/jobs").text)
        answer = browser.post(f"/jobs/{kind}", data={"csrf_token": token, "year": "2025"})
        assert answer.status_code == 403, (who, kind)
    assert "Chạy rà soát hộ nghèo" not in site.browser("officer").get("/jobs").text
    assert "Chạy rà soát trùng lặp" in site.browser("inspector").get("/jobs").text


def test_one_job_of_a_kind_at_a_time(site: Site) -> None:
    first = start_job(site.engine, "review", "*", {"year": 2025}, "admin")
    try:
        start_job(site.engine, "review", "*", {"year": 2025}, "admin")
    except JobRunning as running:
        assert running.job_id == first
    else:
        raise AssertionError("a second review started")
    admin = site.browser("admin")
    token = csrf_of(admin.get("/jobs").text)
    answer = admin.post("/jobs/review", data={"csrf_token": token, "year": "2025"})
    assert "đang chạy" in answer.text and f"/jobs/{first}" in answer.text
    start_job(site.engine, "inspection", "*", {"year": 2025}, "inspector")  # another kind may


def test_a_job_whose_process_died_is_failed_not_left_running(site: Site) -> None:
    with site.engine.begin() as connection:
        dead = connection.execute(
            insert(JOB).returning(JOB.c.id),
            {
                "kind": "review",
                "scope_key": "*",
                "state": "running",
                "actor": "admin",
                "owner": "elsewhere:1:x",
                "params": "{}",
                "progress": 40,
                "started_at": now() - STALE * 2,
                "beat_at": now() - STALE * 2,
            },
        ).scalar_one()
        gone = connection.execute(
            insert(JOB).returning(JOB.c.id),
            {
                "kind": "inspection",
                "scope_key": "*",
                "state": "running",
                "actor": "admin",
                "owner": f"{socket.gethostname()}:999999999:x",
                "params": "{}",
                "progress": 10,
                "started_at": now(),
                "beat_at": now(),
            },
        ).scalar_one()
    assert fail_dead(site.engine, at=now() + timedelta(seconds=1)) == 2
    page = site.browser("admin").get("/jobs")
    assert page.text.count("Công việc đã dừng giữa chừng") == 2
    with site.engine.connect() as connection:
        assert {get_job(connection, i).state for i in (dead, gone)} == {"failed"}  # type: ignore[union-attr]


def test_the_inspection_runs_in_the_background(site: Site) -> None:
    job_id, inspector = _start(site, "inspector", "inspection")
    assert _wait(site, job_id, 180) == "done"
    assert "người đã so khớp" in inspector.get("/jobs").text

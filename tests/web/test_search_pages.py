"""The search page (workbench issue, item 11): ranked as typed, paged, filtered, exported whole."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from tests.builders import KHAO_MANG, person, write_csv
from tests.web.conftest import Site, csrf_of

from ansinh.io.importer import import_file
from ansinh.store.jobs import JOB, get_job

HTMX = {"hx-request": "true"}


def _namesakes(site: Site, folder: Path, count: int = 130) -> None:
    rows = [
        person(
            f"N{i:03d}",
            f"HN{i:03d}",
            f"Nguyễn {'Vân' if i % 2 == 0 else 'Văn'} A{i:03d}",
            "head",
            birth_date=f"{1950 + i % 70}-06-01",
        )
        for i in range(count)
    ]
    import_file(site.engine, write_csv(folder / "namesakes.csv", rows), actor="tester")


def test_names_written_as_typed_come_first_and_pages_end_at_the_last(
    site: Site, tmp_path: Path
) -> None:
    _namesakes(site, tmp_path)
    admin = site.browser("admin")
    first = admin.get("/search?q=Nguyễn Văn", headers=HTMX).text
    rows = first.split("<tbody>")[1]
    assert rows.count("Nguyễn Văn A") == 50 and "Nguyễn Vân" not in rows  # 65 Văn, 65 Vân
    assert "1 / 2" in first and "Hơn 100 người" in first
    past = admin.get("/search?q=Nguyễn Văn&page=99", headers=HTMX).text
    assert "2 / 2" in past and "<tbody>" in past  # the last page, never an empty list


def test_filters_narrow_the_results(site: Site, tmp_path: Path) -> None:
    _namesakes(site, tmp_path)
    admin = site.browser("admin")
    page = admin.get("/search?q=giang&age=elderly").text
    assert "Giàng A Dế" in page and "Giàng A Páo" not in page
    poor = admin.get("/search?q=giang&status=poor", headers=HTMX).text  # H1 is poor in 2025
    assert "Giàng A Páo" in poor
    assert "Giàng A" not in admin.get("/search?q=giang&status=near_poor", headers=HTMX).text
    assert admin.get(f"/search?q=giang&commune={KHAO_MANG}", headers=HTMX).status_code == 200
    officer = site.browser("officer")
    assert officer.get("/search?q=nguyen&commune=04456").status_code == 403


def test_every_result_is_exported_in_the_background(site: Site, tmp_path: Path) -> None:
    """The export stopped at 100 while the page said 'more than 100'."""
    _namesakes(site, tmp_path)
    admin = site.browser("admin")
    token = csrf_of(admin.get("/search?q=nguyen").text)
    answer = admin.post(
        "/jobs/export/search", data={"q": "nguyen"}, headers={"x-csrf-token": token, **HTMX}
    )
    assert answer.status_code == 204 and answer.headers["hx-redirect"].startswith("/jobs#job-")
    with site.engine.connect() as connection:
        job_id = int(connection.scalar(select(func.max(JOB.c.id))) or 0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with site.engine.connect() as connection:
            job = get_job(connection, job_id)
        if job is not None and not job.running:
            break
        time.sleep(0.1)
    assert (
        job is not None and job.state == "done" and job.summary == {"what": "search", "rows": 131}
    )
    book = openpyxl.load_workbook(io.BytesIO(admin.get(f"/jobs/{job_id}/file").content))
    assert book.active is not None and book.active.max_row == 131 + 1
    # Another account cannot fetch it; a start without the session's token is refused.
    assert site.browser("viewer").get(f"/jobs/{job_id}/file").status_code == 404
    assert admin.post("/jobs/export/search", data={"q": "nguyen"}).status_code == 403

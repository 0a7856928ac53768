"""The review's pages: the officer's work list and its forms, refusals that change nothing,
the public lists with no IDs, the province's progress and the dashboard's overdue complaints."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.conftest import Site, csrf_of

from ansinh.store.models import AuditEntry
from ansinh.store.review_models import ReviewComplaint, ReviewStage


def _stage(client, csrf: str, stage: str, on: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf, "commune": KHAO_MANG, "year": "2025", "stage": stage, "on": on}
    files = fields.pop("files", None)
    return client.post("/review/stage", data=data | fields, files=files, follow_redirects=False)


def _stages(site: Site) -> int:
    with site.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(ReviewStage)) or 0)


def test_the_officer_runs_the_review_to_recognition(site: Site) -> None:
    officer = site.browser("officer")
    page = officer.get("/review")
    assert page.status_code == 200 and "Xã Khao Mang" in page.text
    csrf = csrf_of(page.text)
    assert _stage(officer, csrf, "listed", "2025-09-05").status_code == 303
    assert _stage(officer, csrf, "surveyed", "2025-10-10").status_code == 303
    other_village = _stage(
        officer,
        csrf,
        "village_meeting",
        "2025-10-20",
        attendance="40",
        meeting_result="agreed",
        village=f"{MU_CANG_CHAI}-01",
        files={"minutes": ("bien-ban.pdf", b"%PDF-1.4", "application/pdf")},
    )  # a village of another commune: refused, nothing written
    assert other_village.status_code == 400 and "không thuộc xã" in other_village.text
    assert _stages(site) == 2
    met = _stage(
        officer,
        csrf,
        "village_meeting",
        "2025-10-20",
        attendance="40",
        meeting_result="agreed",
        village=f"{KHAO_MANG}-01",
        files={"minutes": ("bien-ban.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert met.status_code == 303, met.text
    assert officer.get(f"/review/minutes?commune={KHAO_MANG}&year=2025").content == b"%PDF-1.4"
    assert _stage(officer, csrf, "posted", "2025-11-03").status_code == 303
    posting = officer.get(f"/review/posting.csv?commune={KHAO_MANG}&year=2025")
    assert posting.text.splitlines()[0] == "village,head_name,status"
    assert "015070000123" not in posting.text  # the head's citizen ID
    complaint = officer.post(
        "/review/complaints",
        data={
            "csrf_token": csrf,
            "commune": KHAO_MANG,
            "year": "2025",
            "complainant": "Lý Thị Mai",
            "channel": "in_person",
            "received_on": "2025-11-04",
            "household": "H1",
        },
        follow_redirects=False,
    )
    assert complaint.status_code == 303
    refused = _stage(officer, csrf, "complaints_heard", "2025-11-10")
    assert refused.status_code == 400 and "khiếu nại chưa giải quyết" in refused.text
    with site.engine.connect() as connection:
        complaint_id = connection.scalar(select(ReviewComplaint.id))
    decided = officer.post(
        f"/review/complaints/{complaint_id}/decide",
        data={
            "csrf_token": csrf,
            "commune": KHAO_MANG,
            "year": "2025",
            "on": "2025-11-12",
            "outcome": "upheld",
            "decision_no": "12/QĐ-UBND",
            "new_status": "near_poor",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert _stage(officer, csrf, "complaints_heard", "2025-11-12").status_code == 303
    assert (
        _stage(officer, csrf, "recognised", "2025-11-14", decision_no="45/QĐ-UBND").status_code
        == 303
    )
    page = officer.get(f"/review?commune={KHAO_MANG}&year=2025")
    assert "45/QĐ-UBND" in page.text and "Dự thảo" not in page.text
    with site.engine.connect() as connection:
        changed = connection.scalar(
            select(func.count()).where(AuditEntry.action == "review_change")
        )
    assert changed == 1


def test_others_cannot_touch_the_commune(site: Site) -> None:
    viewer = site.browser("viewer")  # reads the province, edits nothing
    csrf = csrf_of(viewer.get("/review").text)
    assert _stage(viewer, csrf, "listed", "2025-09-05").status_code == 403
    officer = site.browser("officer")
    assert officer.get(f"/review?commune={MU_CANG_CHAI}").status_code == 404
    assert officer.get(f"/review/posting.csv?commune={MU_CANG_CHAI}&year=2025").status_code == 404
    assert _stages(site) == 0


def test_the_province_sees_progress_and_overdue_complaints(site: Site) -> None:
    officer = site.browser("officer")
    csrf = csrf_of(officer.get("/review").text)
    _stage(officer, csrf, "listed", "2025-09-05")
    officer.post(
        "/review/complaints",
        data={
            "csrf_token": csrf,
            "commune": KHAO_MANG,
            "year": "2025",
            "complainant": "Lý Thị Mai",
            "channel": "letter",
            "received_on": "2025-11-04",
        },
    )
    admin = site.browser("admin")
    progress = admin.get("/review/progress?year=2025&as_of=2025-12-15")
    assert progress.status_code == 200
    assert "Xã Khao Mang" in progress.text and "Chậm" in progress.text
    dashboard = admin.get("/units/15")
    assert "Khiếu nại quá hạn" in dashboard.text


def test_a_regular_review_is_recorded_and_counted(site: Site) -> None:
    officer = site.browser("officer")
    csrf = csrf_of(officer.get("/review").text)
    today = date.today().isoformat()
    base = {"csrf_token": csrf, "commune": KHAO_MANG, "year": "2025", "household": "H1"}
    no_number = officer.post(
        "/review/regular",
        data=base | {"applied_on": today, "decided_on": today, "new_status": "near_poor"},
    )
    assert no_number.status_code == 400 and "Cần số quyết định" in no_number.text
    done = officer.post(
        "/review/regular",
        data=base
        | {
            "applied_on": today,
            "decided_on": today,
            "new_status": "near_poor",
            "decision_no": "30/QĐ-UBND",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = officer.get(f"/review?commune={KHAO_MANG}&year=2025")
    counted = '<td>Hộ nghèo</td><td>Hộ cận nghèo</td><td class="num">1</td><td class="num">1</td>'
    assert counted in page.text
    with site.engine.connect() as connection:
        changed = connection.scalar(
            select(func.count()).where(AuditEntry.action == "review_change")
        )
    assert changed == 1

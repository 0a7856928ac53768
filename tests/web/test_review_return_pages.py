"""The province sends a commune's report back on the commune's review page, beside its
sign-off: refused for an officer, for another province and without a reason (each saying why,
writing nothing); the officer sees the reason until reporting again; no return once approved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select
from tests.builders import KHAO_MANG
from tests.web.conftest import PASSWORD, Site, csrf_of

from ansinh.store.accounts import create_account
from ansinh.store.review_models import ReviewReturn, ReviewStage
from ansinh.store.review_stages import StagePapers, record_stage
from ansinh.store.scope import WHOLE_REGISTRY

PAGE = f"/review?commune={KHAO_MANG}&year=2025"
REASON = "Thiếu biên bản họp thôn 3"
STAGES = {
    "listed": (date(2025, 9, 5), StagePapers()),
    "surveyed": (date(2025, 10, 10), StagePapers()),
    "village_meeting": (
        date(2025, 10, 20),
        StagePapers(attendance=40, meeting_result="agreed", minutes=b"%PDF"),
    ),
    "posted": (date(2025, 11, 3), StagePapers()),
    "complaints_heard": (date(2025, 11, 6), StagePapers()),
    "recognised": (date(2025, 11, 7), StagePapers(decision_no="45/QĐ-UBND")),
    "reported": (date(2025, 11, 8), StagePapers()),
}


def reported(engine: Engine) -> None:
    with engine.begin() as connection:
        for code, (on, papers) in STAGES.items():
            record_stage(
                connection,
                commune=KHAO_MANG,
                year=2025,
                stage=code,
                on=on,
                papers=papers,
                actor="officer",
                scope=WHOLE_REGISTRY,
                today=date(2025, 12, 1),
            )


def send_back(client, csrf: str, reason: str = REASON, on: str = "2025-11-10"):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf, "commune": KHAO_MANG, "year": "2025", "on": on, "reason": reason}
    return client.post("/review/return", data=data, follow_redirects=False)


def counts(site: Site) -> tuple[int, int]:
    with site.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(ReviewStage)) or 0),
            int(connection.scalar(select(func.count()).select_from(ReviewReturn)) or 0),
        )


def test_refusals_say_why_and_write_nothing(site: Site) -> None:
    reported(site.engine)
    with site.engine.begin() as connection:
        create_account(connection, "admin-hn", "province_admin", ["01"], PASSWORD, "t")
    officer = site.browser("officer")
    page = officer.get(PAGE)
    assert "Trả lại báo cáo cho xã" not in page.text  # the form is the province's
    refused = send_back(officer, csrf_of(page.text))
    assert refused.status_code == 403 and "Chỉ cấp tỉnh" in refused.text
    other = site.browser("admin-hn")
    refused = send_back(other, csrf_of(other.get("/review").text))
    assert refused.status_code == 403 and "không thuộc đơn vị bạn quản lý" in refused.text
    admin = site.browser("admin")
    page = admin.get(PAGE)
    assert "Trả lại báo cáo cho xã" in page.text and 'action="/review/return"' in page.text
    blank = send_back(admin, csrf_of(page.text), reason="   ")
    assert blank.status_code == 400 and "Phải ghi lý do" in blank.text
    assert counts(site) == (7, 0)


def test_the_officer_sees_the_reason_until_reporting_again(site: Site) -> None:
    reported(site.engine)
    admin = site.browser("admin")
    csrf = csrf_of(admin.get(PAGE).text)
    sent = send_back(admin, csrf)
    assert sent.status_code == 303 and "notice=returned" in sent.headers["location"]
    assert counts(site) == (6, 1)
    progress = admin.get("/review/progress?year=2025&as_of=2025-11-20")
    assert REASON in progress.text

    officer = site.browser("officer")
    page = officer.get(PAGE)
    assert "Tỉnh đã trả lại báo cáo" in page.text and REASON in page.text
    again = officer.post(
        "/review/stage",
        data={
            "csrf_token": csrf_of(page.text),
            "commune": KHAO_MANG,
            "year": "2025",
            "stage": "reported",
            "on": "2025-11-11",
        },
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    page = officer.get(PAGE)
    assert "Tỉnh đã trả lại báo cáo" not in page.text
    assert "Các lần trả lại báo cáo" in page.text and REASON in page.text  # the history

    approved = admin.post(
        "/review/stage",
        data={
            "csrf_token": csrf,
            "commune": KHAO_MANG,
            "year": "2025",
            "stage": "approved",
            "on": "2025-11-20",
        },
        follow_redirects=False,
    )
    assert approved.status_code == 303, approved.text
    late = send_back(admin, csrf, on="2025-11-21")
    assert late.status_code == 400 and "không trả lại được" in late.text
    assert counts(site) == (8, 1)

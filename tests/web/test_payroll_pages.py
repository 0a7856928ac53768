"""Payroll pages: a commune officer prepares, the province approves, another commune sees none."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.conftest import PASSWORD, Site, csrf_of
from tests.workflows.test_decisions import decisions, war_invalid

from ansinh.store.accounts import create_account
from ansinh.store.payroll_models import PaymentRun
from ansinh.store.scope import Scope
from ansinh.workflows.decisions import import_decisions_file


@pytest.fixture
def decided(site: Site, tmp_path: Path) -> Site:
    import_decisions_file(
        site.engine,
        decisions(tmp_path / "d.csv", war_invalid()),
        actor="clerk",
        scope=Scope(None, None),
    )
    with site.engine.begin() as connection:
        create_account(connection, "officer2", "commune_officer", [MU_CANG_CHAI], PASSWORD, "t")
    return site


def prepare(site: Site, username: str, commune: str) -> int:
    client = site.browser(username)
    token = csrf_of(client.get("/payroll?month=2024-07").text)
    answer = client.post(
        "/payroll/prepare",
        data={"csrf_token": token, "month": "2024-07", "commune": commune},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    with site.engine.connect() as connection:
        return int(
            connection.scalar(select(PaymentRun.id).where(PaymentRun.commune_code == commune)) or 0
        )


def test_officer_prepares_admin_approves_and_the_workbook_has_a_signature_column(
    decided: Site,
) -> None:
    run = prepare(decided, "officer", KHAO_MANG)
    officer = decided.browser("officer")
    page = officer.get(f"/payroll/{run}")
    assert page.status_code == 200 and "Giàng A Dế" in page.text and "7.240.000" in page.text
    assert "Duyệt bảng chi trả" not in page.text  # a commune officer does not approve
    token = csrf_of(page.text)
    assert officer.post(f"/payroll/{run}/approve", data={"csrf_token": token}).status_code == 403
    admin = decided.browser("admin")
    token = csrf_of(admin.get(f"/payroll/{run}").text)
    approved = admin.post(f"/payroll/{run}/approve", data={"csrf_token": token})
    assert approved.status_code == 200 and "Đã duyệt" in approved.text
    book = openpyxl.load_workbook(
        io.BytesIO(officer.get(f"/payroll/{run}/bang-chi-tra.xlsx").content)
    )
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "Ký nhận" in cells and "Giàng A Dế" in cells and 8_639_000 in cells
    listed = admin.get("/payroll?month=2024-07").text
    assert re.search(r"8\.639\.000", listed)


def test_another_communes_officer_can_neither_see_nor_approve_nor_prepare(decided: Site) -> None:
    run = prepare(decided, "officer", KHAO_MANG)
    other = decided.browser("officer2")
    assert other.get(f"/payroll/{run}").status_code == 404
    assert other.get(f"/payroll/{run}/bang-chi-tra.xlsx").status_code == 404
    token = csrf_of(other.get("/payroll").text)
    assert other.post(f"/payroll/{run}/approve", data={"csrf_token": token}).status_code == 403
    refused = other.post(
        "/payroll/prepare", data={"csrf_token": token, "month": "2024-07", "commune": KHAO_MANG}
    )
    assert refused.status_code == 403
    listed = other.get("/payroll?month=2024-07").text
    assert "Giàng" not in listed


def test_the_household_page_shows_decisions_and_payments(decided: Site) -> None:
    run = prepare(decided, "officer", KHAO_MANG)
    page = decided.browser("officer").get(f"/households/{decided.ids()['H1']}")
    assert "123/QĐ-SNV" in page.text and "81 %" in page.text
    assert "Chờ chi" in page.text and str(run)


def test_the_coverage_page_lists_by_commune_within_scope(decided: Site) -> None:
    officer = decided.browser("officer")
    page = officer.get("/benefits/coverage")
    assert page.status_code == 200 and "Khao Mang" in page.text
    assert "Mù Cang Chải" not in page.text
    book = officer.get("/benefits/coverage.xlsx")
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_the_card_list_says_who_must_hold_a_card_and_why(decided: Site) -> None:
    officer = decided.browser("officer")
    page = officer.get("/benefits/cards?month=2025-01")
    assert page.status_code == 200 and "Người có công với cách mạng và thân nhân" in page.text
    book = officer.get("/benefits/cards-changes.xlsx?month=2025-01")
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_the_api_lists_runs_in_scope_and_only_the_province_approves(decided: Site) -> None:
    run = prepare(decided, "officer", KHAO_MANG)
    officer, admin = decided.token("officer"), decided.token("admin")
    listed = decided.client.get("/api/v1/payroll?month=2024-07", headers=officer).json()
    assert [r["id"] for r in listed] == [run] and listed[0]["total_vnd"] == 8_639_000
    detail = decided.client.get(f"/api/v1/payroll/{run}", headers=officer).json()
    assert {line["category"] for line in detail["line_list"]} == {
        "war_invalid",
        "war_invalid_81_supplement",
    }
    assert decided.client.post(f"/api/v1/payroll/{run}/approve", headers=officer).status_code == 403
    other = decided.client.post(
        "/api/v1/auth/token", data={"username": "officer2", "password": PASSWORD}
    ).json()
    hidden = {"Authorization": f"Bearer {other['access_token']}"}
    assert decided.client.get(f"/api/v1/payroll/{run}", headers=hidden).status_code == 404
    approved = decided.client.post(f"/api/v1/payroll/{run}/approve", headers=admin)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = decided.client.post(f"/api/v1/payroll/{run}/approve", headers=admin)
    assert again.status_code == 409


def test_the_budget_page_compares_a_what_if_with_now(decided: Site) -> None:
    admin = decided.browser("admin")
    page = admin.get(
        "/benefits/budget?month=2025-01&standard=vn-2027-2030&social_assistance_standard=600000"
    )
    assert page.status_code == 200 and "dự thảo" in page.text and "Chênh lệch" in page.text


def test_housing_projects_and_the_fund_are_recorded_within_scope(decided: Site) -> None:
    officer = decided.browser("officer")
    page = officer.get("/benefits/housing")
    assert page.status_code == 200
    token = csrf_of(page.text)
    added = officer.post(
        "/benefits/housing",
        data={
            "csrf_token": token,
            "action": "project",
            "household": "H1",
            "kind": "repair",
            "amount": "30.000.000",
            "source": "gratitude_fund",
            "deadline": "2025-06-30",
        },
    )
    assert added.status_code == 200 and ">H1</a>" in added.text and "30.000.000" in added.text
    outside = officer.post(
        "/benefits/housing",
        data={
            "csrf_token": token,
            "action": "project",
            "household": "H2",
            "kind": "repair",
            "amount": "1000",
            "source": "state",
        },
    )
    assert outside.status_code == 400 and "đơn vị bạn" in outside.text
    gave = officer.post(
        "/benefits/housing",
        data={
            "csrf_token": token,
            "action": "fund",
            "unit_code": KHAO_MANG,
            "entry_date": "2025-01-05",
            "kind": "contribution",
            "line": "",
            "amount": "1000000",
        },
    )
    assert gave.status_code == 200
    too_much = officer.post(
        "/benefits/housing",
        data={
            "csrf_token": token,
            "action": "fund",
            "unit_code": KHAO_MANG,
            "entry_date": "2025-01-06",
            "kind": "spending",
            "line": "administration",
            "amount": "60000",
        },
    )
    assert too_much.status_code == 400 and "5%" in too_much.text
    # Not the bare code: the page's random CSRF token holds "H1" about once in a hundred.
    assert ">H1</a>" not in decided.browser("officer2").get("/benefits/housing").text


def test_a_reader_of_the_whole_country_chooses_a_commune(decided: Site) -> None:
    inspector = decided.browser("inspector")
    for path in ("/benefits/coverage", "/benefits/cards", "/benefits/budget", "/benefits/housing"):
        page = inspector.get(path)
        assert page.status_code == 200 and 'name="commune"' in page.text, path
    chosen = inspector.get(f"/benefits/coverage?commune={KHAO_MANG}")
    assert "Khao Mang" in chosen.text


def test_an_officer_records_decisions_by_upload_within_its_communes(
    site: Site, tmp_path: Path
) -> None:
    officer = site.browser("officer")
    token = csrf_of(officer.get("/import").text)
    ours = decisions(tmp_path / "d.csv", war_invalid()).read_bytes()
    done = officer.post(
        "/import", data={"csrf_token": token}, files={"file": ("qd.csv", ours, "text/csv")}
    )
    assert done.status_code == 200 and "Quyết định điều chỉnh: 1" in done.text
    theirs = decisions(
        tmp_path / "e.csv", war_invalid(person_id="P5", category="prisoner", injury_rate="")
    ).read_bytes()
    refused = officer.post(
        "/import", data={"csrf_token": token}, files={"file": ("qd2.csv", theirs, "text/csv")}
    )
    assert refused.status_code == 400 and "đơn vị bạn" in refused.text


def test_a_second_approval_or_an_early_mark_is_said_not_a_server_error(decided: Site) -> None:
    run = prepare(decided, "officer", KHAO_MANG)
    officer, admin = decided.browser("officer"), decided.browser("admin")
    token = csrf_of(officer.get(f"/payroll/{run}").text)
    early = officer.post(f"/payroll/{run}/mark", data={"csrf_token": token, "status": "paid"})
    assert early.status_code == 200 and "Không thực hiện được" in early.text
    token = csrf_of(admin.get(f"/payroll/{run}").text)
    admin.post(f"/payroll/{run}/approve", data={"csrf_token": token})
    again = admin.post(f"/payroll/{run}/approve", data={"csrf_token": token})
    assert again.status_code == 200 and "Không thực hiện được" in again.text

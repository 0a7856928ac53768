"""In Chromium: the province administrator opens a commune that reported from the progress
table and sends its report back with a reason; the commune officer sees the reason on the work
list and reports again; the province signs the year off."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from tests.builders import KHAO_MANG
from tests.web.conftest import literal_province
from tests.web.test_browser import browser, pytestmark, served  # noqa: F401
from tests.web.test_review_browser import as_user, record, stage_form
from tests.web.test_review_return_pages import REASON, reported

from ansinh.store.db import make_engine


@pytest.fixture(scope="module")
def return_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("review-return-browser")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    reported(engine)
    with served(engine) as url:
        yield url


def test_the_province_sends_back_and_the_commune_reports_again(
    browser: Browser,  # noqa: F811
    return_url: str,
) -> None:
    admin = as_user(browser, return_url, "admin")
    admin.goto("/review/progress?year=2025&as_of=2025-11-20")
    row = admin.get_by_role("row", name="Xã Khao Mang")
    expect(row).to_contain_text("Báo cáo UBND tỉnh")
    row.get_by_role("link", name="Xác nhận hoặc trả lại").click()
    expect(admin.get_by_role("heading", name="Trả lại báo cáo cho xã")).to_be_visible()
    admin.get_by_label("Ngày trả lại").fill("2025-11-10")
    admin.get_by_label("Lý do trả lại (bắt buộc)").fill(REASON)
    admin.get_by_role("button", name="Trả lại", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text("Đã trả lại báo cáo cho xã")
    expect(admin.get_by_role("heading", name="Trả lại báo cáo cho xã")).to_have_count(0)

    officer = as_user(browser, return_url, "officer")
    officer.goto("/review")
    note = officer.get_by_role("note")
    expect(note).to_contain_text("Tỉnh đã trả lại báo cáo")
    expect(note).to_contain_text(REASON)
    expect(officer.get_by_role("heading", name="Ghi nhận: Báo cáo UBND tỉnh")).to_be_visible()
    record(officer, "2025-11-11")
    stage_form(officer).get_by_role("button", name="Ghi nhận bước").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã ghi nhận bước rà soát")
    expect(officer.get_by_role("note")).to_have_count(0)
    expect(officer.get_by_text(REASON)).to_be_visible()  # the history of returns

    admin.goto(f"/review?commune={KHAO_MANG}&year=2025")
    record(admin, "2025-11-20")
    stage_form(admin).get_by_role("button", name="Ghi nhận bước").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã ghi nhận bước rà soát")
    expect(admin.get_by_text("Tỉnh xác nhận kết quả — 20/11/2025")).to_be_visible()
    expect(admin.get_by_role("heading", name="Trả lại báo cáo cho xã")).to_have_count(0)

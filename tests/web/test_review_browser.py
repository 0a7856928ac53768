"""In Chromium: a commune officer records the village meeting with its minutes and a complaint,
is refused recognition while the complaint is open, decides it and recognises; the province
sees the commune's progress; another commune's officer cannot open it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.conftest import PASSWORD, literal_province
from tests.web.test_browser import browser, pytestmark, served, sign_in  # noqa: F401

from ansinh.store.accounts import create_account
from ansinh.store.db import make_engine


@pytest.fixture(scope="module")
def review_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("review-browser")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    with engine.begin() as connection:
        create_account(connection, "officer2", "commune_officer", [MU_CANG_CHAI], PASSWORD, "t")
    with served(engine) as url:
        yield url


def as_user(browser: Browser, url: str, username: str) -> Page:  # noqa: F811
    page = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, username)
    return page


def record(page: Page, day: str) -> None:
    page.get_by_label("Ngày thực hiện").fill(day)


def stage_form(page: Page) -> Locator:
    return page.locator("form[action='/review/stage']")


def test_the_officer_runs_a_commune_review(
    browser: Browser,  # noqa: F811
    review_url: str,
    tmp_path: Path,
) -> None:
    officer = as_user(browser, review_url, "officer")
    officer.goto("/review")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Xã Khao Mang")
    expect(officer.get_by_text("Dự thảo: chưa họp dân")).to_be_visible()
    for day in ("2025-09-05", "2025-10-10"):
        record(officer, day)
        officer.get_by_role("button", name="Ghi nhận bước").click()
        expect(officer.get_by_role("status")).to_contain_text("Đã ghi nhận bước rà soát")

    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4 bien ban hop thon")
    record(officer, "2025-10-20")
    officer.get_by_label("Thôn họp").select_option(label="Thôn 1")
    officer.get_by_label("Số người dự họp").fill("42")
    officer.get_by_label("Kết quả họp").select_option("agreed")
    officer.get_by_label("Biên bản họp (tệp)").set_input_files(str(minutes))
    officer.get_by_role("button", name="Ghi nhận bước").click()
    expect(officer.get_by_text("42 người dự")).to_be_visible()
    expect(officer.get_by_role("link", name="biên bản họp")).to_be_visible()
    expect(officer.get_by_text("Đã họp dân thống nhất kết quả.")).to_be_visible()

    record(officer, "2025-11-03")
    officer.get_by_role("button", name="Ghi nhận bước").click()
    expect(officer.get_by_text("(niêm yết đến hết 05/11/2025)")).to_be_visible()

    officer.get_by_label("Người khiếu nại").fill("Lý Thị Mai")
    officer.get_by_label("Mã hộ (để trống: khiếu nại về danh sách)").fill("H1")
    officer.get_by_label("Hình thức").select_option("letter")
    officer.get_by_label("Ngày nhận").fill("2025-11-04")
    officer.get_by_role("button", name="Ghi nhận khiếu nại").last.click()
    expect(officer.get_by_role("status")).to_contain_text("Đã ghi nhận khiếu nại")
    expect(officer.get_by_role("link", name="H1")).to_be_visible()

    record(officer, "2025-11-10")
    officer.get_by_role("button", name="Ghi nhận bước").click()
    expect(officer.get_by_role("alert")).to_contain_text("1 khiếu nại chưa giải quyết")

    decide = officer.locator("form[action$='/decide']")
    decide.get_by_label("Ngày quyết định").fill("2025-11-12")
    decide.get_by_label("Kết quả", exact=True).select_option("rejected")
    decide.get_by_label("Số quyết định").fill("12/QĐ-UBND")
    officer.get_by_role("button", name="Ghi quyết định").click()
    expect(officer.get_by_role("cell", name="Đã giải quyết")).to_be_visible()

    record(officer, "2025-11-12")
    officer.get_by_role("button", name="Ghi nhận bước").click()
    record(officer, "2025-11-14")
    stage_form(officer).get_by_label("Số quyết định").fill("45/QĐ-UBND")
    officer.get_by_role("button", name="Ghi nhận bước").click()
    expect(officer.get_by_text("45/QĐ-UBND")).to_be_visible()

    admin = as_user(browser, review_url, "admin")
    admin.goto("/review/progress?year=2025&as_of=2025-11-20")
    row = admin.get_by_role("row", name="Xã Khao Mang")
    expect(row).to_contain_text("Chủ tịch UBND xã công nhận")
    expect(row).to_contain_text("Đúng hạn")
    expect(admin.get_by_role("row", name="Xã Mù Cang Chải")).to_contain_text("Chậm")

    other = as_user(browser, review_url, "officer2")
    answer = other.goto(f"/review?commune={KHAO_MANG}")
    assert answer is not None and answer.status == 404

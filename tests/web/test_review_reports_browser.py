"""In Chromium: a commune officer completes a household's exit plan from its page, and a
province administrator compares the year under the 2027-2030 lines, told they are provisional."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.builders import survey, write_csv
from tests.web.conftest import POOR_DEPRIVATIONS, literal_province
from tests.web.test_browser import browser, pytestmark, served, sign_in  # noqa: F401

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.db import make_engine
from ansinh.store.review import run_review
from ansinh.workflows.exit_plans import draft


@pytest.fixture(scope="module")
def review_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("review-browser")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    surveys = [
        survey("H1", 1_900_000, set(), year=2024),
        survey("H2", 1_000_000, POOR_DEPRIVATIONS, year=2024),
    ]
    import_file(engine, write_csv(folder / "s24.csv", surveys), actor="tester")
    run_review(engine, 2024, load_standard("vn-2022-2025"), "tester")
    draft(engine, 2025, "tester")
    with served(engine) as url:
        yield url


def as_user(browser: Browser, url: str, username: str) -> Page:  # noqa: F811
    page = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, username)
    return page


def test_an_officer_completes_a_household_s_plan(browser: Browser, review_url: str) -> None:  # noqa: F811
    officer = as_user(browser, review_url, "officer")
    officer.get_by_role("link", name="Thôn 1").first.click()
    officer.get_by_role("link", name="H1").click()
    plan = officer.locator("#plan")
    expect(plan).to_contain_text("Sau rà soát năm 2025")
    expect(plan).to_contain_text("Hỗ trợ nước sinh hoạt sạch")
    plan.get_by_role("link", name="Sửa kế hoạch").click()
    officer.get_by_label("Thiếu vốn sản xuất, kinh doanh").check()
    officer.get_by_label("Người, tổ chức giúp đỡ").fill("Hội Phụ nữ xã — chị Lò Thị Hoa")
    officer.get_by_label("Ngày thực hiện").first.fill("2026-03-02")
    officer.get_by_label("Thêm biện pháp").select_option("preferential_credit")
    officer.get_by_role("button", name="Lưu kế hoạch").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã lưu kế hoạch")
    expect(plan).to_contain_text("Hội Phụ nữ xã — chị Lò Thị Hoa")
    expect(plan).to_contain_text("Vay vốn ưu đãi hộ nghèo, cận nghèo")
    expect(plan).to_contain_text("02/03/2026")
    # A date typed the wrong way round is refused with a clear message, nothing saved.
    plan.get_by_role("link", name="Sửa kế hoạch").click()
    officer.get_by_label("Thời hạn").fill("")
    officer.get_by_role("button", name="Lưu kế hoạch").click()
    expect(officer.get_by_role("alert")).to_contain_text("Cần ngày")


def test_the_what_if_page_side_by_side(browser: Browser, review_url: str) -> None:  # noqa: F811
    admin = as_user(browser, review_url, "admin")
    admin.get_by_role("link", name="Báo cáo rà soát").click()
    expect(admin.locator("#flows")).to_contain_text("Xã Khao Mang")
    admin.get_by_role("link", name="So sánh chuẩn nghèo").click()
    admin.get_by_role("button", name="Xem").click()
    expect(admin.locator("#provisional")).to_contain_text("Chuẩn tạm thời")
    expect(admin.locator("#whatif")).to_contain_text("vn-2027-2030")
    changes = admin.locator("#changes")
    expect(changes).to_contain_text("H2")
    expect(changes).to_contain_text("Hộ cận nghèo")

"""The web application in Debian's Chromium: roles, drill-down, search, edit, import, denial."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, write_csv
from tests.web.conftest import PASSWORD, literal_province

from ansinh.store.db import make_engine
from ansinh.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# CI (.ci/run) installs Chromium and sets ANSINH_REQUIRE_BROWSER=1: there a missing browser fails.
REQUIRE_BROWSER = os.environ.get("ANSINH_REQUIRE_BROWSER") == "1"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not REQUIRE_BROWSER, reason=f"{CHROMIUM} is not installed"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(engine: Engine) -> Iterator[str]:
    """uvicorn in a thread on a free loopback port over `engine`, for a browser to visit."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(engine, secure_cookies=False), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="module")
def base_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web application over a SQLite copy of the literal province."""
    folder = tmp_path_factory.mktemp("browser")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    with served(engine) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url)
    yield context.new_page()
    context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize(
    ("username", "lands_on", "role"),
    [
        ("admin", "Lào Cai", "Quản trị cấp tỉnh"),
        ("viewer", "Lào Cai", "Xem báo cáo cấp tỉnh"),
        ("officer", "Xã Khao Mang", "Cán bộ xã"),
        ("inspector", "Việt Nam", "Thanh tra"),
    ],
)
def test_each_role_signs_in_to_its_own_unit(
    page: Page, username: str, lands_on: str, role: str
) -> None:
    sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(lands_on)
    expect(page.locator("header")).to_contain_text(role)


def test_drill_down_from_province_to_household(page: Page) -> None:
    sign_in(page, "admin")
    page.get_by_role("link", name="Xã Khao Mang").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Khao Mang")
    page.get_by_role("link", name="Thôn 1").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thôn 1")
    page.get_by_role("link", name="H1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộ H1")
    expect(page.locator("main")).to_contain_text("Giàng A Páo")
    expect(page.locator("main")).to_contain_text("Hộ nghèo")


def test_search_without_diacritics_as_one_types(page: Page) -> None:
    sign_in(page, "admin")
    page.get_by_role("link", name="Tìm kiếm").click()
    page.get_by_label("Họ tên, mã hộ").press_sequentially("nguyen van hung")
    expect(page.locator("#results")).to_contain_text("Nguyễn Văn Hùng")


def test_officer_edits_a_household(page: Page) -> None:
    sign_in(page, "officer")
    page.get_by_role("link", name="Thôn 1").first.click()
    page.get_by_role("link", name="H1").click()
    page.get_by_role("link", name="Sửa thông tin hộ").click()
    page.get_by_label("Địa chỉ").fill("Bản Sín Chải")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    expect(page.locator("main")).to_contain_text("Bản Sín Chải")


def test_uploading_a_bad_file_lists_its_errors(page: Page, tmp_path: Path) -> None:
    rows = family()[:4]
    rows[1]["birth_date"] = "2999-01-01"
    rows[2]["relation"] = "head"  # two heads in one household
    path = write_csv(tmp_path / "ho-loi.csv", rows)
    sign_in(page, "officer")
    page.get_by_role("link", name="Nhập tệp").click()
    page.get_by_label("Tệp", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Gửi tệp").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("ho-loi.csv")
    expect(errors).to_contain_text("birth_date")
    expect(errors).to_contain_text("relation")
    expect(page.locator("main")).to_contain_text("Không có gì được ghi")


def test_officer_is_denied_another_commune_page_api_and_export(page: Page) -> None:
    sign_in(page, "officer")
    denied = page.goto(f"/units/{MU_CANG_CHAI}")
    assert denied is not None and denied.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("không có quyền")
    request = page.request
    assert request.get(f"/api/v1/households?commune={MU_CANG_CHAI}").status == 403
    assert request.get(f"/api/v1/households?commune={KHAO_MANG}").status == 200
    assert request.get(f"/export/households.xlsx?commune={MU_CANG_CHAI}").status == 403


def test_logout_returns_to_the_login_form(page: Page) -> None:
    sign_in(page, "viewer")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.goto("/units/15")
    expect(page).to_have_url(re.compile(r"/login\?next="))

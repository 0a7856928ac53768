"""In Chromium: a commune officer prepares a payroll, the province approves it, and an officer
of another commune can neither see nor approve it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.builders import MU_CANG_CHAI
from tests.web.conftest import PASSWORD, literal_province
from tests.web.test_browser import browser, pytestmark, served, sign_in  # noqa: F401
from tests.workflows.test_decisions import decisions, war_invalid

from ansinh.store.accounts import create_account
from ansinh.store.db import make_engine
from ansinh.store.scope import Scope
from ansinh.workflows.decisions import import_decisions_file


@pytest.fixture(scope="module")
def payroll_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("payroll-browser")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    import_decisions_file(
        engine, decisions(folder / "d.csv", war_invalid()), actor="clerk", scope=Scope(None, None)
    )
    with engine.begin() as connection:
        create_account(connection, "officer2", "commune_officer", [MU_CANG_CHAI], PASSWORD, "t")
    with served(engine) as url:
        yield url


def as_user(browser: Browser, url: str, username: str, width: int = 1280) -> Page:  # noqa: F811
    page = browser.new_context(base_url=url, viewport={"width": width, "height": 900}).new_page()
    sign_in(page, username)
    return page


def test_prepare_approve_and_keep_out(browser: Browser, payroll_url: str) -> None:  # noqa: F811
    officer = as_user(browser, payroll_url, "officer", width=390)  # a phone
    officer.goto("/payroll?month=2024-07")
    officer.get_by_label("Tháng").nth(1).fill("2024-07")
    officer.get_by_role("button", name="Lập bảng chi trả").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã lập 1 bảng chi trả")
    officer.get_by_role("link", name="04465").click()
    expect(officer.get_by_role("row", name="Giàng A Dế")).to_have_count(2)
    expect(officer.get_by_role("button", name="Duyệt bảng chi trả")).to_have_count(0)
    run_path = officer.url.removeprefix(payroll_url)

    other = as_user(browser, payroll_url, "officer2")
    answer = other.goto(run_path)
    assert answer is not None and answer.status == 404
    other.goto("/payroll?month=2024-07")
    expect(other.get_by_text("Giàng A Dế")).to_have_count(0)

    admin = as_user(browser, payroll_url, "admin")
    admin.goto(run_path)
    admin.get_by_role("button", name="Duyệt bảng chi trả").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã duyệt bảng chi trả")

    officer.goto(run_path)
    officer.get_by_role("checkbox").first.check()
    officer.get_by_role("button", name="Ghi nhận cho các dòng đã chọn").click()
    expect(officer.get_by_role("cell", name="Đã nhận")).to_have_count(1)

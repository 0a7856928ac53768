"""The officer's workbench in Chromium (workbench issue, items 1, 3, 11, 14): a review started
from the browser followed after a reload, members added and removed, a date typed day first,
an error beside its field, search ranked and paged, an error page that keeps the menu."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from tests.builders import MU_CANG_CHAI, person, write_csv
from tests.web.conftest import literal_province
from tests.web.test_browser import browser, pytestmark, served, sign_in

from ansinh.io.importer import import_file
from ansinh.store.db import make_engine
from ansinh.store.models import Person
from ansinh.web import job_starts
from ansinh.workflows.jobs import Outcome, Progress

__all__ = ["browser", "pytestmark"]
ENGINE: dict[str, Any] = {}


@pytest.fixture(scope="module")
def base_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The literal province and 130 namesakes (65 Nguyễn Văn, 65 Nguyễn Vân, who fold alike)."""
    folder = tmp_path_factory.mktemp("workbench")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    rows = [
        person(
            f"N{i:03d}",
            f"HN{i:03d}",
            f"Nguyễn {'Vân' if i % 2 == 0 else 'Văn'} A{i:03d}",
            "head",
            birth_date="1960-06-01",
        )
        for i in range(130)
    ]
    import_file(engine, write_csv(folder / "namesakes.csv", rows), actor="tester")
    ENGINE["engine"] = engine
    with served(engine) as url:
        yield url


@pytest.fixture
def page(browser, base_url: str) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_a_review_started_in_the_browser_is_followed_after_a_reload(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 1: the review runs in the background; its progress survives a reload, its row
    turns to the summary without one, and the summary stays."""
    gate = threading.Event()
    real = job_starts.review_work

    def held(engine: Any, year: int, actor: str) -> Any:
        work = real(engine, year, actor)

        def slow(progress: Progress) -> Outcome:
            progress(40, "classify")
            gate.wait(30)  # until the test has seen the progress
            return work(progress)

        return slow

    monkeypatch.setattr(job_starts, "review_work", held)
    sign_in(page, "admin")
    page.get_by_role("link", name="Công việc").click()
    page.get_by_label("Năm").first.fill("2025")
    page.get_by_role("button", name="Chạy rà soát hộ nghèo").click()
    row = page.locator("table.jobs tbody tr").first
    expect(row).to_contain_text("Đang chạy")
    expect(row.locator("progress")).to_have_attribute("value", "40")
    page.reload()
    row = page.locator("table.jobs tbody tr").first
    expect(row).to_contain_text("40 %")
    expect(row).to_contain_text("phân loại")
    gate.set()
    expect(row).to_contain_text("Xong", timeout=20_000)  # htmx polled it, no reload
    expect(row).to_contain_text("hộ đã phân loại theo chuẩn vn-2022-2025")
    page.reload()
    expect(page.locator("table.jobs tbody tr").first).to_contain_text("hộ đã phân loại")


def test_a_member_is_added_with_a_date_typed_day_first_and_removed(page: Page) -> None:
    """Item 3: members added and removed (with a reason), a date typed dd/mm/yyyy."""
    sign_in(page, "officer")
    page.get_by_role("link", name="Thôn 1").first.click()
    page.get_by_role("link", name="H1", exact=True).click()
    page.get_by_role("link", name="Sửa thông tin hộ").click()
    page.locator("#new-full_name").fill("Giàng Thị Hoa")
    page.locator("#new-birth_date").fill("02/03/2015")
    page.locator("#new-relation").select_option("child")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    members = page.locator("section[aria-labelledby=members-title]")
    expect(members).to_contain_text("Giàng Thị Hoa")
    expect(members).to_contain_text("02/03/2015")
    with ENGINE["engine"].connect() as connection:
        born = connection.scalar(
            select(Person.birth_date).where(Person.full_name == "Giàng Thị Hoa")
        )
    assert born == "2015-03-02"
    page.get_by_role("link", name="Sửa thông tin hộ").click()
    page.locator("#remove-person").select_option(label="Giàng Thị Hoa (H1-1)")
    page.locator("#remove-reason").fill("Nhập nhầm")
    page.get_by_role("button", name="Xoá khỏi hộ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    expect(page.locator("section[aria-labelledby=members-title]")).not_to_contain_text("Hoa")


def test_an_error_is_shown_beside_its_field(page: Page) -> None:
    sign_in(page, "officer")
    page.get_by_role("link", name="Thôn 1").first.click()
    page.get_by_role("link", name="H1", exact=True).click()
    page.get_by_role("link", name="Sửa thông tin hộ").click()
    page.locator("#P2-birth_date").fill("01/01/2999")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#P2-birth_date-error")).to_contain_text("tương lai")
    expect(page.locator("#P2-birth_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#P2-birth_date")).to_have_value("01/01/2999")


def test_search_ranks_names_as_typed_and_pages(page: Page) -> None:
    """Item 11: 'Nguyễn Văn' ranked 'Nguyễn Vân' first; no paging; page 99 of 5 was empty."""
    sign_in(page, "admin")
    page.get_by_role("link", name="Tìm kiếm").click()
    page.get_by_label("Họ tên, mã hộ").press_sequentially("Nguyễn Văn")
    # The answer to the last keystroke pushes its address; a click before it lands is undone.
    expect(page).to_have_url(re.compile(r"q=Nguy%E1%BB%85n(%20|\+)V%C4%83n&"))
    first = page.locator("#results tbody tr").first
    expect(first).to_contain_text("Nguyễn Văn A")
    expect(page.locator("#results .pager")).to_contain_text("1 / 2")
    page.locator("#results .pager").get_by_role("link", name="›").click()
    expect(page.locator("#results .pager")).to_contain_text("2 / 2")
    page.goto("/search?q=Nguyễn Văn&page=99")
    expect(page.locator("#results .pager")).to_contain_text("2 / 2")
    expect(page.locator("#results tbody tr").first).to_be_visible()
    page.get_by_label("Độ tuổi").select_option("child")
    expect(page.locator("#results")).to_contain_text("Tìm thấy 0 người")  # all born 1960, 1980


def test_an_error_page_keeps_the_menu_and_the_user(page: Page) -> None:
    """Item 14: a 403 page lost the menu and who was signed in."""
    sign_in(page, "officer")
    denied = page.goto(f"/units/{MU_CANG_CHAI}")
    assert denied is not None and denied.status == 403
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Tìm kiếm")
    expect(page.locator("header")).to_contain_text("officer · Cán bộ xã")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tìm kiếm"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm kiếm trong sổ")

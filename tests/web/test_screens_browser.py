"""The officer's workbench in Chromium (issue 16): a 390 px phone and a desktop, print, the
inspector's page, the audit log's words and the dashboard's scale."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from tests.builders import KHAO_MANG
from tests.web.conftest import literal_province
from tests.web.queued import queue_pairs
from tests.web.test_browser import browser, pytestmark, served, sign_in  # noqa: F401

from ansinh.store.db import make_engine
from ansinh.store.models import Household

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# In the page: the header's height, the right edge of the widest element not inside a box that
# scrolls (a table may scroll within its box, never the page), and the smallest tap target.
MEASURE = """() => {
  const inScroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  let right = 0, widest = '';
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && !inScroller(el) && r.right > right) {
      right = r.right; widest = el.outerHTML.slice(0, 80);
    }
  }
  let smallest = 1e9, small = '';
  for (const el of document.querySelectorAll('a, button, input, select, summary, textarea')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || el.type === 'hidden') continue;
    const size = Math.min(r.width, r.height);
    if (size < smallest) { smallest = size; small = el.outerHTML.slice(0, 80); }
  }
  return {header: document.querySelector('header.top').getBoundingClientRect().height,
          right, widest, smallest, small, scrollWidth: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def site_url(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, int]]]:
    """The literal province with a stored inspection run, served; the household ids by code."""
    folder = tmp_path_factory.mktemp("workbench")
    shutil.copy(sqlite_template, folder / "ansinh.db")
    engine = make_engine(url=f"sqlite:///{folder / 'ansinh.db'}")
    literal_province(engine, folder)
    queue_pairs(engine, folder)
    with engine.connect() as connection:
        ids = {code: hid for code, hid in connection.execute(select(Household.code, Household.id))}
    with served(engine) as url:
        yield url, ids


def _page(browser: Browser, url: str, viewport: dict[str, int]) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(base_url=url, viewport=viewport)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser, site_url: tuple[str, dict[str, int]]) -> Iterator[Page]:  # noqa: F811
    yield from _page(browser, site_url[0], PHONE)


@pytest.fixture
def desktop(browser: Browser, site_url: tuple[str, dict[str, int]]) -> Iterator[Page]:  # noqa: F811
    yield from _page(browser, site_url[0], DESKTOP)


def measure(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(MEASURE)
    return found


def test_the_commune_officers_pages_fit_a_phone(
    phone: Page, site_url: tuple[str, dict[str, int]]
) -> None:
    sign_in(phone, "officer")
    h1 = site_url[1]["H1"]
    for path in (
        f"/units/{KHAO_MANG}",
        f"/households/{h1}",
        "/search?q=Giàng",
        "/import",
        "/payroll",
        f"/units/{KHAO_MANG}-01",
    ):
        phone.goto(path)
        found = measure(phone)
        assert found["header"] < 0.15 * PHONE["height"], (path, found)
        assert found["right"] <= PHONE["width"] and found["scrollWidth"] <= PHONE["width"], (
            path,
            found,
        )
        assert found["smallest"] >= 24, (path, found)


def test_the_phone_menu_folds_behind_a_button(phone: Page) -> None:
    sign_in(phone, "officer")
    search = phone.locator("header nav").get_by_role("link", name="Tìm kiếm")
    expect(search).to_be_hidden()
    toggle = phone.get_by_role("button", name="Trình đơn")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(search).to_be_visible()
    expect(phone.get_by_role("button", name="Đăng xuất")).to_be_visible()
    search.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Tìm")


def test_a_desktop_shows_the_menu_without_a_button(desktop: Page) -> None:
    sign_in(desktop, "admin")
    expect(desktop.locator("header nav").get_by_role("link", name="Tìm kiếm")).to_be_visible()
    expect(desktop.get_by_role("button", name="Trình đơn")).to_be_hidden()
    found = measure(desktop)
    assert found["right"] <= DESKTOP["width"]


def test_a_household_prints_as_a_clean_record(
    desktop: Page, site_url: tuple[str, dict[str, int]]
) -> None:
    sign_in(desktop, "officer")
    desktop.goto(f"/households/{site_url[1]['H1']}")
    expect(desktop.locator("header.top")).to_be_visible()
    desktop.emulate_media(media="print")
    for hidden in ("header.top", "footer", ".crumbs", "a.button"):
        expect(desktop.locator(hidden).first).to_be_hidden()
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    expect(
        desktop.get_by_role("cell", name="Sùng Thị Mai").or_(
            desktop.get_by_role("rowheader", name="Sùng Thị Mai")
        )
    ).to_be_visible()
    assert desktop.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "none"
    pdf = desktop.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_change_in_the_history_shows_its_fields_when_opened(
    desktop: Page, site_url: tuple[str, dict[str, int]]
) -> None:
    sign_in(desktop, "officer")
    desktop.goto(f"/households/{site_url[1]['H1']}")
    member = desktop.locator("ol.history > li", has_text="Thành viên").first
    expect(member.locator("table.change")).to_have_count(0)
    member.locator("summary").click()
    change = member.locator("table.change")
    expect(change).to_contain_text("Họ và tên")
    expect(change).to_contain_text("Quan hệ với chủ hộ")


def test_the_inspector_filters_and_decides_on_several_pairs(desktop: Page) -> None:
    sign_in(desktop, "inspector")
    desktop.goto("/inspection")
    expect(desktop.locator("article.pair")).to_have_count(25)
    desktop.get_by_label("Khả năng là một người", exact=True).select_option(
        label="Rất cao (từ 99 %)"
    )
    desktop.get_by_role("button", name="Lọc").click()
    expect(desktop.locator("article.pair")).to_have_count(10)
    content = desktop.content()
    assert "jaro" not in content.lower() and "similar address" not in content
    assert "không có số định danh" in content and "Địa chỉ gần giống" in content
    desktop.get_by_label("Chọn tất cả cặp trên trang").check()
    expect(desktop.locator("input[name=pick]:checked")).to_have_count(10)
    desktop.get_by_role("button", name="Các cặp đã chọn là một người").click()
    expect(desktop.get_by_role("status")).to_have_text("Đã ghi nhận quyết định cho 10 mục.")
    expect(desktop.locator("article.pair")).to_have_count(0)
    desktop.get_by_label("Tình trạng", exact=True).select_option(label="Đã quyết định")
    desktop.get_by_label("Khả năng là một người", exact=True).select_option(label="Mọi mức")
    desktop.get_by_role("button", name="Lọc").click()
    expect(desktop.locator("article.pair")).to_have_count(10)
    expect(desktop.locator(".badge").first).to_contain_text("Là một người")


def test_the_audit_log_reads_in_vietnamese(desktop: Page) -> None:
    sign_in(desktop, "admin")
    desktop.goto("/audit")
    desktop.get_by_label("Thao tác").select_option(label="tạo")
    desktop.get_by_label("Loại bản ghi").select_option(label="Thành viên")
    desktop.get_by_role("button", name="Lọc").click()
    actions = desktop.locator("table.log > tbody > tr > td:nth-child(3)").all_inner_texts()
    records = desktop.locator("table.log > tbody > tr > td:nth-child(4)").all_inner_texts()
    assert actions and set(actions) == {"tạo"} and set(records) == {"Thành viên"}
    desktop.locator("table.log summary").first.click()
    change = desktop.locator("table.change").first
    expect(change).to_contain_text("Họ và tên")
    expect(change).to_contain_text("Quan hệ với chủ hộ")
    text = desktop.locator("main").inner_text()
    assert "action." not in text and "full_name" not in text and "{" not in text


def test_the_dashboard_bars_share_one_scale(desktop: Page) -> None:
    sign_in(desktop, "admin")
    desktop.goto("/units/15")
    ratios = desktop.evaluate(
        """() => [...document.querySelectorAll('table.units tbody tr')].map(tr => {
            const fill = tr.querySelector('svg.scale .fill').getBoundingClientRect();
            const track = tr.querySelector('svg.scale .track').getBoundingClientRect();
            return [tr.querySelector('th').innerText, fill.width / track.width,
                    tr.querySelector('.value').innerText]; })"""
    )
    assert [(name, round(ratio, 2), value) for name, ratio, value in ratios] == [
        ("Xã Khao Mang", 1.0, "100,0 %"),
        ("Xã Mù Cang Chải", 0.0, "0,0 %"),
    ]
    axis = desktop.locator("table.units svg.axis").first.inner_html()
    assert all(f">{tick}" in axis for tick in ("0 %", "25", "50", "75", "100"))
    tile = desktop.locator("a.tile", has_text="Xã Khao Mang")
    expect(tile).to_contain_text("100,0 %")
    tile.click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Xã Khao Mang")

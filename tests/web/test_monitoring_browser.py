"""Monitoring data entry in Debian's Chromium: uploads, a commune's evaluation, a bad row."""
# ruff: noqa: F811  (the Chromium fixtures of test_browser.py, used by name)

from __future__ import annotations

from importlib import resources
from pathlib import Path

from playwright.sync_api import Page, expect
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.test_browser import base_url, browser, page, pytestmark, sign_in  # noqa: F401

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))


def upload(page: Page, kind: str, file: Path) -> None:
    page.goto("/monitoring/load")
    page.get_by_label("Loại dữ liệu").select_option(kind)
    page.get_by_label("Tệp").set_input_files(str(file))
    page.get_by_role("button", name="Nạp tệp").click()


def test_a_bad_row_then_plans_and_disbursements_uploaded(page: Page, tmp_path: Path) -> None:
    sign_in(page, "admin")
    plans = (EXAMPLES / "lao-cai-2024-plans.csv").read_text(encoding="utf-8")
    bad = tmp_path / "ke-hoach-sai.csv"
    bad.write_text(plans.replace(",investment,2024,2024,15,", ",investment,2024,2024,15,x"))
    upload(page, "plans", bad)
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("ke-hoach-sai.csv")
    expect(problems).to_contain_text("amount_vnd")
    expect(page.locator("main")).to_contain_text("Không có gì được ghi vào sổ.")
    page.goto("/monitoring")
    expect(page.locator("main")).to_contain_text("Chưa có dữ liệu theo dõi nào được lưu.")
    upload(page, "plans", EXAMPLES / "lao-cai-2024-plans.csv")
    expect(page.get_by_role("status")).to_contain_text("Mới: 11")
    upload(page, "disbursements", EXAMPLES / "lao-cai-2024-disbursements.csv")
    expect(page.get_by_role("status")).to_contain_text("Mới: 79")
    page.get_by_role("link", name="Về trang theo dõi").click()
    expect(page.locator("main")).to_contain_text("2.419.000.000.000")


def test_a_commune_officer_enters_its_communes_evaluation_only(page: Page) -> None:
    sign_in(page, "officer")
    page.goto("/monitoring")
    page.get_by_role("link", name="Đánh giá tiêu chí nông thôn mới của xã").click()
    page.get_by_label("Năm").fill("2025")
    page.get_by_role("button", name="Mở").click()
    expect(page.get_by_label("Xã")).to_have_value(KHAO_MANG)
    expect(page.get_by_label("Xã").locator("option")).to_have_count(1)  # no other commune
    page.get_by_label("1. Quy hoạch").check()
    page.get_by_label("4. Điện").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Mới: 19")
    expect(page.get_by_label("4. Điện")).to_be_checked()
    # Another commune's evaluation, forced into the form, is refused and nothing is stored.
    page.locator('input[name="commune"]').evaluate(f"e => e.value = '{MU_CANG_CHAI}'")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("ngoài phạm vi tài khoản")

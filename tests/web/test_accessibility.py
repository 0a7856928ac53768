"""axe-core in Chromium over the main pages of each role: no serious or critical violation
(workbench issue, "How we will know"), at a desktop width and on a 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from tests.web.test_browser import base_url, browser, pytestmark, sign_in  # noqa: F401

PAGES = {
    "admin": [
        "/",
        "/units/15",
        "/search?q=Nguy%E1%BB%85n",
        "/review",
        "/review/progress",
        "/jobs",
        "/audit",
        "/payroll",
        "/benefits/coverage",
        "/monitoring",
        "/import",
        "/units/15/flows",
        "/units/15/plans",
    ],
    "officer": ["/", "/review", "/search?q=Hung", "/payroll", "/import"],
    "inspector": ["/inspection", "/audit"],
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport_page(
    request: pytest.FixtureRequest,
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[request.param])
    yield context.new_page()
    context.close()


def _serious(page: Page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {node['target']}"
        for v in found
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("username", sorted(PAGES))
def test_main_pages_have_no_serious_accessibility_violation(
    viewport_page: Page, username: str
) -> None:
    sign_in(viewport_page, username)
    paths = list(PAGES[username])
    viewport_page.goto("/")
    household = viewport_page.locator("a[href^='/households/']").first
    if household.count():  # a household page of the role's own unit
        paths.append(str(household.get_attribute("href")))
    problems = {}
    for path in paths:
        answer = viewport_page.goto(path)
        assert answer is not None and answer.status < 400, path
        found = _serious(viewport_page)
        if found:
            problems[path] = found
    assert problems == {}, problems

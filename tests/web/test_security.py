"""Sign-in throttling (trust issue, item 7): counted atomically per account and per client
address, the client read from a proxy's headers only when that proxy is trusted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Site

from ansinh.store import accounts
from ansinh.web.app import create_app

TOKEN = "/api/v1/auth/token"


def test_parallel_wrong_passwords_are_checked_at_most_to_the_limit(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """15 at once were all checked against a limit of 5 (check and count were apart)."""
    checked = []
    real = accounts.authenticate

    def counting(*args: object) -> object:
        checked.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(accounts, "authenticate", counting)

    def attempt(_: int) -> int:
        answer = site.client.post(TOKEN, data={"username": "officer", "password": "sai-mat-khau"})
        return answer.status_code

    with ThreadPoolExecutor(max_workers=15) as pool:
        statuses = sorted(pool.map(attempt, range(15)))
    assert len(checked) <= 5
    assert statuses.count(401) == len(checked) and statuses.count(429) == 15 - len(checked)


def _behind_proxy(site: Site, trusted: str) -> TestClient:
    app = create_app(site.engine, secure_cookies=False, trusted_proxies=trusted)
    return TestClient(app, client=("10.0.0.2", 40000))


def _fail_from(client: TestClient, address: str, times: int, first: int = 0) -> None:
    for n in range(first, first + times):  # each as another user: only the address's count
        client.post(
            TOKEN,
            data={"username": f"khong-co-{n}", "password": "x"},
            headers={"X-Forwarded-For": address},
        )


def test_behind_a_trusted_proxy_each_client_has_its_own_count(site: Site) -> None:
    """Behind a proxy everyone shared its address: 20 failures locked every account."""
    client = _behind_proxy(site, "10.0.0.0/24")
    _fail_from(client, "203.0.113.5", 20)
    right = {"username": "admin", "password": PASSWORD}
    blocked = client.post(TOKEN, data=right, headers={"X-Forwarded-For": "203.0.113.5"})
    assert blocked.status_code == 429
    other = client.post(TOKEN, data=right, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 200


def test_forwarded_headers_of_an_untrusted_peer_are_ignored(site: Site) -> None:
    """Without the setting, a client cannot escape its count by naming other addresses."""
    client = _behind_proxy(site, "")
    for n in range(20):
        _fail_from(client, f"198.51.100.{n}", 1, first=n)
    right = {"username": "admin", "password": PASSWORD}
    answer = client.post(TOKEN, data=right, headers={"X-Forwarded-For": "198.51.100.99"})
    assert answer.status_code == 429


def test_secure_cookies_when_a_trusted_proxy_says_https(site: Site) -> None:
    client = _behind_proxy(site, "10.0.0.2")
    page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in page.headers["set-cookie"].lower()
    plain = _behind_proxy(site, "").get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_the_mask_leaves_no_more_than_two_digits() -> None:
    """With birth province, sex and year shown, the last three made 9 of 12 digits known."""
    from ansinh.web.security import mask_citizen_id

    assert mask_citizen_id("015070000123") == "••••••••••23"


def test_every_page_api_answer_and_export_is_kept_by_no_cache(site: Site) -> None:
    admin = site.browser("admin")
    h1 = site.ids()["H1"]
    for url in ("/", f"/households/{h1}", "/search?q=hung", "/export/households.xlsx", "/login"):
        assert admin.get(url).headers["cache-control"] == "no-store", url
    api = site.client.get(f"/api/v1/households/{h1}", headers=site.token("admin"))
    assert api.headers["cache-control"] == "no-store"
    assert "no-store" not in admin.get("/static/app.css").headers.get("cache-control", "")


def test_audit_times_say_their_zone(site: Site) -> None:
    inspector = site.browser("inspector")
    assert "UTC+07:00" in inspector.get("/audit").text
    h1 = site.ids()["H1"]
    assert "UTC+07:00" in inspector.get(f"/households/{h1}").text
    entries = site.client.get("/api/v1/audit", headers=site.token("inspector")).json()["items"]
    assert entries[0]["at"].endswith(("+00:00", "Z"))

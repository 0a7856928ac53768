"""The JSON API (DESIGN.md "Accounts and the JSON API"): 401 without a token, scope per role."""

from __future__ import annotations

import pytest
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.conftest import PASSWORD, Site

GETS = [
    "/api/v1/me",
    "/api/v1/households",
    "/api/v1/households/1",
    "/api/v1/units/15",
    "/api/v1/search?q=nguyen",
    "/api/v1/audit",
]


@pytest.mark.parametrize("path", GETS)
def test_every_call_without_a_token_gets_401(site: Site, path: str) -> None:
    answer = site.client.get(path)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    bad = site.client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_token_is_the_oauth2_password_flow(site: Site) -> None:
    answer = site.client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": PASSWORD}
    )
    body = answer.json()
    assert answer.status_code == 200 and body["token_type"] == "bearer"
    me = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"username": "admin", "role": "province_admin", "units": ["15"]}
    wrong = site.client.post("/api/v1/auth/token", data={"username": "admin", "password": "x"})
    assert wrong.status_code == 401


def test_a_username_with_a_nul_character_is_a_bad_request_not_a_500(site: Site) -> None:
    # Found by the schemathesis run: PostgreSQL refuses NUL in text, so it never reaches a query
    # (a NUL in any form is refused before the route: web/request_limits.py).
    answer = site.client.post(
        "/api/v1/auth/token", data={"username": "ad\x00min", "password": PASSWORD}
    )
    assert answer.status_code == 400


def test_revoked_token_no_longer_works(site: Site) -> None:
    headers = site.token("viewer")
    assert site.client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert site.client.get("/api/v1/me", headers=headers).status_code == 401


def test_repeated_wrong_passwords_are_throttled(site: Site) -> None:
    for _ in range(5):
        site.client.post("/api/v1/auth/token", data={"username": "officer", "password": "wrong"})
    # Even the right password waits once the account has had 5 failures in 15 minutes.
    answer = site.client.post(
        "/api/v1/auth/token", data={"username": "officer", "password": PASSWORD}
    )
    assert answer.status_code == 429


def test_household_list_is_paginated_within_the_scope(site: Site) -> None:
    admin = site.client.get("/api/v1/households?page=1&page_size=1", headers=site.token("admin"))
    body = admin.json()
    assert set(body) == {"items", "total", "page", "page_size"}
    assert (body["total"], body["page"], body["page_size"], len(body["items"])) == (2, 1, 1, 1)
    item = body["items"][0]
    assert {"id", "commune_code", "head_name", "members"} <= set(item)
    officer = site.client.get("/api/v1/households", headers=site.token("officer")).json()
    assert [h["commune_code"] for h in officer["items"]] == [KHAO_MANG]
    assert officer["items"][0]["members"] == 4


def test_a_list_of_a_commune_outside_the_scope_is_403(site: Site) -> None:
    headers = site.token("officer")
    own = site.client.get(f"/api/v1/households?commune={KHAO_MANG}", headers=headers)
    assert own.status_code == 200 and own.json()["total"] == 1
    other = site.client.get(f"/api/v1/households?commune={MU_CANG_CHAI}", headers=headers)
    assert other.status_code == 403
    assert "items" not in other.json()
    assert site.client.get("/api/v1/units/15", headers=headers).status_code == 403
    assert site.client.get(f"/api/v1/units/{KHAO_MANG}", headers=headers).status_code == 200


def test_a_household_outside_the_scope_is_404_like_a_missing_one(site: Site) -> None:
    ids = site.ids()
    headers = site.token("officer")
    own = site.client.get(f"/api/v1/households/{ids['H1']}", headers=headers)
    assert own.status_code == 200 and own.json()["head_name"] == "Giàng A Páo"
    other = site.client.get(f"/api/v1/households/{ids['H2']}", headers=headers)
    missing = site.client.get("/api/v1/households/999999", headers=headers)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_household_shows_each_years_result_and_its_deprivations(site: Site) -> None:
    ids = site.ids()
    body = site.client.get(f"/api/v1/households/{ids['H1']}", headers=site.token("admin")).json()
    # Decree 07/2021/ND-CP, Art. 3: income at the rural line with 3 deprivations is poor.
    assert body["status"] == "poor"
    (review,) = body["reviews"]
    assert review["year"] == 2025 and review["status"] == "poor"
    assert sorted(review["deprived"]) == ["sanitation", "telecom", "water"]


def test_citizen_ids_are_masked_for_the_province_viewer(site: Site) -> None:
    h1 = site.ids()["H1"]
    seen = site.client.get(f"/api/v1/households/{h1}", headers=site.token("admin")).json()
    masked = site.client.get(f"/api/v1/households/{h1}", headers=site.token("viewer")).json()
    assert seen["member_list"][0]["citizen_id"] == "015070000123"
    assert masked["member_list"][0]["citizen_id"] == "••••••••••23"
    found = site.client.get("/api/v1/search?q=giang a pao", headers=site.token("viewer")).json()
    assert found["items"][0]["citizen_id"] == "••••••••••23"


def test_search_ignores_diacritics_and_case_within_the_scope(site: Site) -> None:
    admin = site.client.get("/api/v1/search?q=NGUYEN van hung", headers=site.token("admin"))
    assert [p["full_name"] for p in admin.json()["items"]] == ["Nguyễn Văn Hùng"]
    partial = site.client.get("/api/v1/search?q=thuy tran", headers=site.token("admin"))
    assert [p["full_name"] for p in partial.json()["items"]] == ["Trần Thị Thủy"]
    officer = site.client.get("/api/v1/search?q=nguyen van hung", headers=site.token("officer"))
    assert officer.json()["total"] == 0
    by_id = site.client.get("/api/v1/search?q=015070000123", headers=site.token("viewer"))
    assert by_id.json()["total"] == 0  # a role that may not see citizen IDs cannot search them


def test_unit_figures_come_from_the_stored_review(site: Site) -> None:
    body = site.client.get("/api/v1/units/15", headers=site.token("viewer")).json()
    assert body["year"] == 2025
    assert (body["unit"]["households"], body["unit"]["poor_households"]) == (2, 1)
    assert {c["code"] for c in body["children"]} == {KHAO_MANG, MU_CANG_CHAI}


@pytest.mark.parametrize(("username", "status"), [
    ("admin", 200), ("inspector", 200), ("viewer", 403), ("officer", 403),
])  # fmt: skip
def test_only_the_admin_and_the_inspector_read_the_audit_log(
    site: Site, username: str, status: int
) -> None:
    answer = site.client.get("/api/v1/audit?entity=household", headers=site.token(username))
    assert answer.status_code == status
    if status == 200:
        assert answer.json()["total"] == 2


def test_the_inspector_reads_every_unit(site: Site) -> None:
    headers = site.token("inspector")
    assert site.client.get("/api/v1/households", headers=headers).json()["total"] == 2
    assert site.client.get("/api/v1/units/VN", headers=headers).status_code == 200

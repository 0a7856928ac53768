"""A NUL in a query, a path or a form is a 400, never a 500 (trust issue, item 8: `%00` in a
parameter gave 500 on 11 routes, PostgreSQL refusing NUL in text)."""

from __future__ import annotations

from fastapi.routing import APIRoute
from tests.web.conftest import Site, csrf_of

from ansinh.web.routes import (
    api,
    audit,
    auth,
    exports,
    households,
    imports,
    inspection,
    monitoring,
    search,
    units,
)

ROUTERS = (api, audit, auth, exports, households, imports, inspection, monitoring, search, units)


def test_nul_in_any_query_parameter_or_path_is_refused(site: Site) -> None:
    admin = site.browser("admin")
    h1 = site.ids()["H1"]
    paths = [
        route.path.replace("{household_id}", str(h1))
        .replace("{code}", "15")
        .replace("{candidate_id}", "1")
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods
    ]
    assert len(paths) > 15
    for path in paths:
        for query in ("q=%00", "commune=04465%00", "actor=a%00b&page=1", "next=/%00"):
            answer = admin.get(f"{path}?{query}", headers=site.token("admin"))
            assert answer.status_code in (400, 422), (path, query, answer.status_code)
    assert admin.get("/units/15%00").status_code == 400


def test_nul_in_a_form_is_refused(site: Site) -> None:
    h1 = site.ids()["H1"]
    officer = site.browser("officer")
    token = csrf_of(officer.get(f"/households/{h1}/edit").text)
    answer = officer.post(
        f"/households/{h1}/edit", data={"csrf_token": token, "P2:full_name": "Sùng\x00 Thị Mai"}
    )
    assert answer.status_code == 400
    login = site.client.post("/login", data={"username": "admin\x00", "password": "x"})
    assert login.status_code == 400

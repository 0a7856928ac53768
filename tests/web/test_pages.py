"""Pages and exports: sign-in, cookies, CSRF, scope per role, editing, import, language."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import event, func, select, update
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, write_csv
from tests.web.conftest import Site, csrf_of

from ansinh.store.models import AuditEntry, Person
from ansinh.web.app import create_app

SECURE_APP_KW = {"secure_cookies": True}


def test_pages_send_the_signed_out_to_the_login_form(site: Site) -> None:
    for path in ("/", f"/units/{KHAO_MANG}", "/households/1", "/search", "/audit"):
        answer = site.client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


def test_session_cookie_is_httponly_lax_and_secure_when_configured(site: Site) -> None:
    from fastapi.testclient import TestClient

    secure = TestClient(create_app(site.engine, **SECURE_APP_KW), base_url="https://testserver")
    form = secure.get("/login")
    answer = secure.post(
        "/login",
        data={
            "username": "viewer",
            "password": "mat-khau-thu-nghiem",
            "login_csrf": form.text.split('name="login_csrf" value="')[1].split('"')[0],
        },
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "ansinh_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_login_without_the_forms_secret_is_refused(site: Site) -> None:
    answer = site.client.post(
        "/login", data={"username": "admin", "password": "mat-khau-thu-nghiem"}
    )
    assert answer.status_code == 400
    assert "ansinh_session" not in answer.headers.get("set-cookie", "")


def test_province_admin_drills_down_to_a_household(site: Site) -> None:
    admin = site.browser("admin")
    dashboard = admin.get("/")
    assert dashboard.status_code == 200 and "Lào Cai" in dashboard.text
    assert "Xã Khao Mang" in dashboard.text and "50,00 %" in dashboard.text  # 1 poor of 2
    commune = admin.get(f"/units/{KHAO_MANG}")
    assert "Thôn 1" in commune.text
    village = admin.get(f"/units/{KHAO_MANG}-01")
    assert "Giàng A Páo" in village.text
    page = admin.get(f"/households/{site.ids()['H1']}")
    assert "Hộ nghèo" in page.text and "015070000123" in page.text
    assert "Nguồn nước sinh hoạt" in page.text  # the deprivation by its name, not "water"


def test_commune_officer_is_denied_another_commune_page_and_export(site: Site) -> None:
    officer = site.browser("officer")
    assert officer.get(f"/units/{KHAO_MANG}").status_code == 200
    assert officer.get(f"/units/{MU_CANG_CHAI}").status_code == 403
    assert officer.get("/units/15").status_code == 403
    assert officer.get(f"/households/{site.ids()['H2']}").status_code == 404
    assert officer.get(f"/export/households.xlsx?commune={MU_CANG_CHAI}").status_code == 403
    assert officer.get("/export/units/15.xlsx").status_code == 403
    everything = officer.get("/export/households.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(everything.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["H1"]


def test_viewer_sees_masked_ids_and_may_not_edit_import_or_read_the_audit(site: Site) -> None:
    viewer = site.browser("viewer")
    page = viewer.get(f"/households/{site.ids()['H1']}")
    assert "015070000123" not in page.text and "••••••••••23" in page.text
    assert viewer.get(f"/households/{site.ids()['H1']}/edit").status_code == 403
    assert viewer.get("/import").status_code == 403
    assert viewer.get("/audit").status_code == 403
    assert viewer.get("/export/audit.xlsx").status_code == 403


def test_editing_a_household_is_checked_and_audited(site: Site) -> None:
    h1 = site.ids()["H1"]
    officer = site.browser("officer")
    form = officer.get(f"/households/{h1}/edit")
    token = csrf_of(form.text)
    bad = officer.post(
        f"/households/{h1}/edit", data={"csrf_token": token, "P2:birth_date": "2999-01-01"}
    )
    assert bad.status_code == 400 and "birth_date" in bad.text
    good = officer.post(
        f"/households/{h1}/edit",
        data={"csrf_token": token, "P2:full_name": "Sùng Thị Mây", "address": "Bản Khao"},
    )
    assert good.status_code == 200 and "Đã lưu" in good.text
    with site.engine.connect() as connection:
        name = connection.scalar(select(Person.full_name).where(Person.code == "P2"))
        actors = set(connection.scalars(select(AuditEntry.actor)))
    assert name == "Sùng Thị Mây" and "officer" in actors
    history = officer.get(f"/households/{h1}")
    assert "officer" in history.text and "Bản Khao" in history.text


def test_saving_the_form_changes_only_what_it_shows_and_was_changed(site: Site) -> None:
    """Trust issue, High: each save emptied every member's `source` (not on the form) and
    audited every member; now one changed birth date is one audited change."""
    h1 = site.ids()["H1"]
    with site.engine.begin() as connection:
        connection.execute(update(Person).values(source="ldtbxh"))
        audited = connection.scalar(select(func.max(AuditEntry.id)))
    officer = site.browser("officer")
    token = csrf_of(officer.get(f"/households/{h1}/edit").text)
    saved = officer.post(
        f"/households/{h1}/edit", data={"csrf_token": token, "P2:birth_date": "1973"}
    )
    assert saved.status_code == 200
    with site.engine.connect() as connection:
        sources = set(connection.scalars(select(Person.source)))
        entries = connection.execute(
            select(AuditEntry.entity, AuditEntry.entity_key).where(AuditEntry.id > audited)
        ).all()
    assert sources == {"ldtbxh"}
    assert [tuple(e) for e in entries] == [("person", "P2")]


def test_a_form_without_the_csrf_token_is_refused(site: Site) -> None:
    h1 = site.ids()["H1"]
    admin = site.browser("admin")
    answer = admin.post(f"/households/{h1}/edit", data={"P2:full_name": "Ai Đó"})
    assert answer.status_code == 403
    assert admin.post("/logout").status_code == 403


def test_uploading_a_bad_file_shows_every_documented_error(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = family()
    rows[1]["birth_date"] = "2999-01-01"
    rows[4]["commune_code"] = "99999"
    path = write_csv(tmp_path / "xau.csv", rows)
    admin = site.browser("admin")
    token = csrf_of(admin.get("/import").text)
    answer = admin.post(
        "/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("xau.csv", path.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 400
    assert (
        "xau.csv" in answer.text and "birth_date" in answer.text and "commune_code" in answer.text
    )
    assert "Không có gì được ghi" in answer.text


def test_an_officer_cannot_import_into_another_commune(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "ho.csv", family())
    officer = site.browser("officer")
    token = csrf_of(officer.get("/import").text)
    answer = officer.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("ho.csv", path.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 400 and "ngoài phạm vi" in answer.text


def test_search_page_and_export(site: Site) -> None:
    admin = site.browser("admin")
    page = admin.get("/search?q=nguyen van hung")
    assert "Nguyễn Văn Hùng" in page.text
    partial = admin.get("/search?q=hung", headers={"HX-Request": "true"})
    assert "Nguyễn Văn Hùng" in partial.text and "<html" not in partial.text
    export = admin.get("/export/search.xlsx?q=nguyen van hung")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet.cell(2, 1).value == "Nguyễn Văn Hùng"


def test_logout_ends_the_session(site: Site) -> None:
    admin = site.browser("admin")
    token = csrf_of(admin.get("/").text)
    assert admin.post("/logout", data={"csrf_token": token}).url.path == "/login"
    assert admin.get("/", follow_redirects=False).status_code == 303


def test_language_switch_to_english(site: Site) -> None:
    admin = site.browser("admin")
    admin.get("/lang/en?next=/")
    page = admin.get("/search")
    assert 'lang="en"' in page.text and "Search the registry" in page.text


def test_the_audit_page_lists_changes(site: Site) -> None:
    page = site.browser("inspector").get("/audit?entity=household")
    assert page.status_code == 200 and "H1" in page.text and "tester" in page.text


def test_a_village_page_counts_its_own_households(site: Site) -> None:
    """Workbench issue, item 4: a village page showed 0 registered while listing them."""
    page = site.browser("admin").get(f"/units/{KHAO_MANG}-01")
    assert page.status_code == 200
    registered = re.search(r"Hộ trong sổ</dt><dd>(\d+)</dd>", page.text)
    assert registered is not None and registered[1] == "1"


def test_health_and_icon_answer_without_signing_in(site: Site) -> None:
    """Workbench issue, item 14: no health endpoint, /favicon.ico 404."""
    health = site.client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    icon = site.client.get("/favicon.ico")
    assert icon.status_code == 200 and "svg" in icon.headers["content-type"]


def test_breadcrumbs_link_only_to_units_the_viewer_may_open(site: Site) -> None:
    """Workbench issue, item 5: "Việt Nam" and the province were links that answered 403."""
    page = site.browser("officer").get(f"/units/{KHAO_MANG}")
    crumbs = page.text.split('class="crumbs"')[1].split("</nav>")[0]
    assert 'href="/units/VN"' not in crumbs and 'href="/units/15"' not in crumbs
    assert f'href="/units/{KHAO_MANG}"' in crumbs
    province = site.browser("admin").get(f"/units/{KHAO_MANG}").text
    assert 'href="/units/15"' in province.split('class="crumbs"')[1].split("</nav>")[0]


def test_error_pages_keep_the_menu_and_the_signed_in_user(site: Site) -> None:
    """Workbench issue, item 14: a 403 or 404 page lost the menu and who was signed in."""
    officer = site.browser("officer")
    for path, status in (("/units/04456", 403), ("/households/999999", 404), ("/nowhere", 404)):
        page = officer.get(path)
        assert page.status_code == status
        assert 'aria-label="Điều hướng chính"' in page.text and "officer · Cán bộ xã" in page.text
    signed_out = site.client.get("/nowhere")
    assert signed_out.status_code == 404 and "Điều hướng chính" not in signed_out.text


def test_a_household_page_reads_the_database_nine_times(site: Site) -> None:
    """Every statement is a round trip, and under load the household page is the slowest of the
    province's pages (PostgreSQL at 500,000 households: 15 statements, p95 325-399 ms; 10,
    264-280 ms). The session and its units are one read, the members' benefits one with the
    benefits' table; a household without plans or confirmed duplicates costs none more."""
    admin, h2 = site.browser("admin"), site.ids()["H2"]
    assert admin.get(f"/households/{h2}").status_code == 200  # the units' names cached
    statements: list[str] = []

    def counted(*arguments: object) -> None:
        statements.append(str(arguments[2]))

    event.listen(site.engine, "before_cursor_execute", counted)
    try:
        assert admin.get(f"/households/{h2}").status_code == 200
    finally:
        event.remove(site.engine, "before_cursor_execute", counted)
    assert len(statements) <= 9, "\n".join(statements)

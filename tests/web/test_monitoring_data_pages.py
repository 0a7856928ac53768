"""Monitoring data entered in the web app: uploads by role, one disbursement, a commune's
evaluation — scoped, with the documented errors and nothing stored on error."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.web.conftest import Site, csrf_of

from ansinh.store import monitoring as store
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_load import Loader, load_file

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))


def upload(site: Site, username: str, kind: str, name: str, content: bytes) -> tuple[int, str]:
    browser = site.browser(username)
    token = csrf_of(browser.get("/monitoring/load").text)
    answer = browser.post(
        "/monitoring/load",
        data={"csrf_token": token, "kind": kind},
        files={"file": (name, content, "text/csv")},
    )
    return answer.status_code, answer.text


def test_a_province_admin_uploads_plans_and_disbursements(site: Site) -> None:
    for kind, name in (("plans", "lao-cai-2024-plans.csv"),
                       ("disbursements", "lao-cai-2024-disbursements.csv")):  # fmt: skip
        status, page = upload(site, "admin", kind, name, (EXAMPLES / name).read_bytes())
        assert status == 200 and "Đã lưu" in page, page
    monitoring = site.browser("viewer").get("/monitoring").text
    assert "2.419.000.000.000" in monitoring  # seed 002, read back by the province's viewer


def test_a_bad_row_gives_the_documented_error_and_stores_nothing(site: Site) -> None:
    text = (EXAMPLES / "lao-cai-2024-plans.csv").read_text(encoding="utf-8")
    bad = text.replace(",2024,2024,15,260000000000", ",2024,2024,15,260.000.000.000")
    status, page = upload(site, "admin", "plans", "ke-hoach.csv", bad.encode())
    assert status == 400
    assert "ke-hoach.csv" in page and "amount_vnd" in page and "<td>7</td>" in page
    assert "Không có gì được ghi vào sổ." in page
    with site.engine.connect() as connection:
        assert store.load_plans(connection, None).height == 0


def test_roles_see_only_the_kinds_they_may_load(site: Site) -> None:
    officer = site.browser("officer").get("/monitoring/load").text
    assert 'value="ntm-evaluations"' in officer and 'value="plans"' not in officer
    for username in ("viewer", "inspector"):
        assert site.browser(username).get("/monitoring/load").status_code == 403
    status, page = upload(site, "officer", "plans", "p.csv", b"programme\n")
    assert status == 400 and "không được nạp" in page


def test_one_disbursement_through_the_form(site: Site) -> None:
    upload(site, "admin", "plans", "p.csv", (EXAMPLES / "lao-cai-2024-plans.csv").read_bytes())
    browser = site.browser("admin")
    token = csrf_of(browser.get("/monitoring/disbursements/new").text)
    fields = {
        "csrf_token": token, "programme": "ntp-new-rural", "capital_type": "investment",
        "plan_year": "2024", "unit_code": "15", "date": "2024-06-30", "amount_vnd": "5000000000",
    }  # fmt: skip
    answer = browser.post("/monitoring/disbursements/new", data=fields)
    assert answer.status_code == 200 and "Đã lưu" in answer.text
    again = browser.post("/monitoring/disbursements/new", data=fields)  # a second, equal one
    assert again.status_code == 200
    over = browser.post(
        "/monitoring/disbursements/new", data=fields | {"amount_vnd": "900000000000000"}
    )
    assert over.status_code == 400 and "vượt kế hoạch" in over.text
    with site.engine.connect() as connection:
        paid = store.load_disbursements(connection, 2024)
    assert paid["amount_vnd"].to_list() == [5_000_000_000, 5_000_000_000]


def test_a_commune_officer_evaluates_its_commune_and_not_another(site: Site) -> None:
    officer = site.browser("officer")
    form = officer.get("/monitoring/ntm/evaluate?year=2024").text
    assert f'value="{KHAO_MANG}"' in form and MU_CANG_CHAI not in form
    assert "Quyết định 318/QĐ-TTg" in form  # the set in force in 2024, 19 criteria
    token = csrf_of(form)
    data = {"csrf_token": token, "commune": KHAO_MANG, "year": "2024", "met": ["1", "2", "19"]}
    answer = officer.post("/monitoring/ntm/evaluate", data=data)
    assert answer.status_code == 200 and "Đã lưu" in answer.text
    assert answer.text.count("checked>") == 3
    refused = officer.post("/monitoring/ntm/evaluate", data=data | {"commune": MU_CANG_CHAI})
    assert refused.status_code == 400 and "ngoài phạm vi" in refused.text
    with site.engine.connect() as connection:
        held = store.load_evaluations(connection, 2024)
    assert set(held["commune_code"]) == {KHAO_MANG} and held.height == 19
    assert held.filter(pl.col("met") == 1)["criterion"].sort().to_list() == [1, 2, 19]


def test_targets_the_registry_observes_show_what_and_where_from(site: Site) -> None:
    """The literal province is reviewed for 2025; the 2030 set's meritorious target is fed."""
    load_file(site.engine, "targets", Path("lao-cai-2030"), Loader("t", None, Scope(None, None)))
    page = site.browser("viewer").get("/monitoring").text
    assert "Nguồn: sổ đăng ký / registry: rà soát / review 2025" in page
    assert "bằng hoặc cao hơn bình quân đầu người của xã nơi cư trú" in page


def test_projects_uploaded_show_by_programme(site: Site) -> None:
    file = EXAMPLES / "lao-cai-2024-projects.csv"
    status, page = upload(site, "admin", "projects", file.name, file.read_bytes())
    assert status == 200 and "Mới: 347" in page
    monitoring = site.browser("viewer").get("/monitoring").text
    assert "Dự án và đóng góp của nhân dân" in monitoring
    assert "237.000.000.000" in monitoring and "209.000" in monitoring  # seed 002

"""The review's report pages: flows, report forms, exit plans on the household page (edited by
an officer of its commune, audited), the what-if page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from tests.builders import survey, write_csv
from tests.web.conftest import POOR_DEPRIVATIONS, Site, csrf_of

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.models import AuditEntry
from ansinh.store.review import run_review
from ansinh.workflows.exit_plans import draft, plans_of


@pytest.fixture
def two_years(site: Site, tmp_path: Path) -> Site:
    """2024 beside the site's 2025: H1 (Khao Mang) average then poor; H2 poor then average.
    Plans drafted for 2024's poor household (H2) and 2025's (H1)."""
    surveys = [
        survey("H1", 1_900_000, set(), year=2024),
        survey("H2", 1_000_000, POOR_DEPRIVATIONS | {"health_insurance"}, year=2024),
    ]
    import_file(site.engine, write_csv(tmp_path / "s24.csv", surveys), actor="tester")
    run_review(site.engine, 2024, load_standard("vn-2022-2025"), "tester")
    draft(site.engine, 2024, "tester")
    draft(site.engine, 2025, "tester")
    return site


def test_the_flows_page_and_its_forms(two_years: Site) -> None:
    admin = two_years.browser("admin")
    page = admin.get("/units/15/flows?year=2025")
    assert page.status_code == 200
    assert "Hộ nghèo phát sinh mới" in page.text and "Hộ thoát nghèo" in page.text
    assert 'href="/units/15/forms/flows.xlsx?year=2025"' in page.text
    assert "Mẫu tổng hợp diễn biến hộ cận nghèo (XLSX)" in page.text
    for form in ("summary", "flows", "poor_movements", "near_poor_movements", "plans"):
        answer = admin.get(f"/units/15/forms/{form}.xlsx?year=2025")
        assert answer.status_code == 200, form
        sheet = openpyxl.load_workbook(BytesIO(answer.content)).active
        assert sheet is not None and sheet["A1"].value == "UBND LÀO CAI"
    assert admin.get("/units/15/forms/nope.xlsx?year=2025").status_code == 404
    assert admin.get("/units/15/flows?year=2024").status_code == 200  # no 2023: said, not a 500
    assert "ansinh review --year 2023" in admin.get("/units/15/flows?year=2024").text


def test_another_commune_s_officer_sees_no_province_report(two_years: Site) -> None:
    officer = two_years.browser("officer")
    assert officer.get("/units/15/flows?year=2025").status_code == 403
    assert officer.get("/units/04456/whatif?year=2025").status_code == 403
    assert officer.get("/units/04465/flows?year=2025").status_code == 200


def test_an_officer_edits_a_plan_of_its_commune_audited(two_years: Site) -> None:
    ids = two_years.ids()
    officer = two_years.browser("officer")
    page = officer.get(f"/households/{ids['H1']}")
    assert "Kế hoạch thoát nghèo" in page.text and "Hỗ trợ nước sinh hoạt sạch" in page.text
    with two_years.engine.connect() as connection:
        (plan,) = plans_of(connection, ids["H1"])
    form_page = officer.get(f"/households/{ids['H1']}/plans/{plan.id}")
    assert form_page.status_code == 200
    water = next(m for m in plan.measures if m.measure == "clean_water")
    answer = officer.post(
        f"/households/{ids['H1']}/plans/{plan.id}",
        data={
            "csrf_token": csrf_of(form_page.text),
            "cause": ["lack_of_land"],
            "helper": "Hội Nông dân xã",
            "target_date": "2026-12-14",
            "note": "",
            f"delivered_{water.id}": "2026-04-01",
            f"provider_{water.id}": "Trung tâm nước",
            "add_measure": "preferential_credit",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    shown = officer.get(answer.headers["location"]).text
    assert "Đã lưu kế hoạch" in shown and "Hội Nông dân xã" in shown and "01/04/2026" in shown
    assert "Vay vốn ưu đãi" in shown
    with two_years.engine.connect() as connection:
        entry = connection.execute(
            select(AuditEntry.__table__).where(
                AuditEntry.entity == "exit_plan", AuditEntry.action == "update"
            )
        ).one()
    assert entry.actor == "officer" and entry.unit_code == "04465"


def test_bad_input_and_other_communes_change_nothing(two_years: Site) -> None:
    ids = two_years.ids()
    officer = two_years.browser("officer")
    with two_years.engine.connect() as connection:
        (mine,) = plans_of(connection, ids["H1"])
        (theirs,) = plans_of(connection, ids["H2"])
    form_page = officer.get(f"/households/{ids['H1']}/plans/{mine.id}")
    token = csrf_of(form_page.text)
    bad = officer.post(
        f"/households/{ids['H1']}/plans/{mine.id}",
        data={"csrf_token": token, "target_date": "14/12/2026", "add_measure": "magic"},
    )
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.text
    # H2 is in Mù Cang Chải: outside the officer's communes, as if it did not exist.
    assert officer.get(f"/households/{ids['H2']}/plans/{theirs.id}").status_code == 404
    outside = officer.post(
        f"/households/{ids['H2']}/plans/{theirs.id}",
        data={"csrf_token": token, "target_date": "2026-12-14"},
    )
    assert outside.status_code == 404
    # A plan id of another household through this household's address is no plan of it.
    crossed = officer.post(
        f"/households/{ids['H1']}/plans/{theirs.id}",
        data={"csrf_token": token, "target_date": "2026-12-14"},
    )
    assert crossed.status_code == 404
    assert (
        two_years.browser("viewer").get(f"/households/{ids['H1']}/plans/{mine.id}").status_code
        == 403
    )
    with two_years.engine.connect() as connection:
        assert plans_of(connection, ids["H1"]) == [mine]
        assert plans_of(connection, ids["H2"]) == [theirs]


def test_the_what_if_page_says_the_standard_is_provisional(two_years: Site) -> None:
    admin = two_years.browser("admin")
    page = admin.get("/units/15/whatif?year=2025&standard=vn-2027-2030")
    assert page.status_code == 200
    assert "Chuẩn tạm thời" in page.text and "2027–2030 (tạm thời)" in page.text
    # H2: 1,900,000 rural is average under 2022-2025 and near-poor under the 2,200,000 line.
    assert "Hộ thay đổi phân loại (1)" in page.text
    workbook = admin.get("/units/15/whatif.xlsx?year=2025&standard=vn-2027-2030")
    assert workbook.status_code == 200
    officer = two_years.browser("officer").get("/units/04465/whatif?year=2025")
    assert "Hộ thay đổi phân loại (0)" in officer.text  # the officer's commune only
    unknown = admin.get("/units/15/whatif?year=2025&standard=nope")
    assert unknown.status_code == 200 and "không có chuẩn nghèo" in unknown.text

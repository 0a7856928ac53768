"""Monitoring pages and the dashboard panel: stored targets, disbursement and NTM, by scope."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from tests.builders import KHAO_MANG
from tests.web.conftest import Site

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.targets import Observation
from ansinh.store import monitoring as store
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_load import Loader, load_file

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
CLI = Loader("tester", None, Scope(None, None))
ROLES = ("admin", "viewer", "officer", "inspector")


@pytest.fixture
def monitored(site: Site) -> Site:
    """Lào Cai's 2024 plans, disbursements and NTM evaluations, its 2025 NTP targets (seed 002),
    two observations, and one target of Khao Mang commune."""
    for kind, name in (
        ("plans", "lao-cai-2024-plans.csv"),
        ("disbursements", "lao-cai-2024-disbursements.csv"),
        ("ntm-evaluations", "lao-cai-ntm-evaluations.csv"),  # former districts' communes
    ):
        load_file(site.engine, kind, EXAMPLES / name, CLI, within="15")
    targets = list(catalog.target_set("lao-cai-ntp-2025").targets)
    commune = replace(targets[1], target_id="km-vocational-training", unit_code=KHAO_MANG)
    observations = [
        Observation("ntp2025-ntm-communes", "15", 2025, Decimal(90)),  # 84 wanted: achieved
        Observation("ntp2025-model-villages", "15", 2025, Decimal(205)),  # 230 wanted: late
    ]
    with site.engine.begin() as connection:
        store.save_targets(connection, [*targets, commune], "tester")
        store.save_observations(connection, observations, "tester")
    return site


def test_every_role_reads_the_empty_state(site: Site) -> None:
    for username in ROLES:
        page = site.browser(username).get("/monitoring")
        assert page.status_code == 200 and "Chưa có dữ liệu theo dõi nào được lưu." in page.text
        assert 'href="/monitoring"' in page.text
    dashboard = site.browser("admin").get("/units/15")
    assert "Chưa có số liệu theo dõi mục tiêu và giải ngân." in dashboard.text


def test_the_signed_out_are_sent_to_sign_in(site: Site) -> None:
    answer = site.client.get("/monitoring", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_page_lists_stored_statuses_disbursement_and_ntm(monitored: Site) -> None:
    page = monitored.browser("viewer").get("/monitoring").text
    assert "Số xã đạt chuẩn NTM (lũy kế, trên 126 xã)" in page
    assert (
        'class="status-achieved">Đã đạt' in page and 'class="status-off_track">Chệch hướng' in page
    )
    assert page.count('class="status-no_data"') == 9  # 11 targets, two observed
    # Seed 002: 2,419 billion VND planned for 2024 (2023's carried over included).
    assert "2.419.000.000.000" in page and "CTMTQG xây dựng nông thôn mới" in page
    # Seed 002: 126 communes evaluated in 2024, 12.63 criteria met per commune.
    assert "Năm 2024: 126 xã, bình quân 12,63 trên 19 tiêu chí" in page


def test_the_page_speaks_english(monitored: Site) -> None:
    browser = monitored.browser("inspector")
    browser.get("/lang/en?next=/monitoring")
    page = browser.get("/monitoring").text
    assert "Target statuses" in page and "Achieved" in page and "All programmes" in page
    assert "2024: 126 communes, 12.63 of 19 criteria met on average" in page


def test_a_commune_officer_sees_only_the_communes_rows(monitored: Site) -> None:
    page = monitored.browser("officer").get("/monitoring").text
    assert "km-vocational-training" not in page  # ids are not shown, names are
    assert page.count('<td class="mono">' + KHAO_MANG + "</td>") == 1
    assert "Số xã đạt chuẩn NTM" not in page  # the province's targets
    assert "Chưa có kế hoạch vốn." in page  # plans are the province's
    assert "Chưa có kết quả đánh giá tiêu chí nông thôn mới." in page


def test_the_dashboard_panel_shows_targets_off_track_and_the_rate(monitored: Site) -> None:
    dashboard = monitored.browser("admin").get("/units/15").text
    assert "Mục tiêu có nguy cơ hoặc chệch hướng" in dashboard
    assert "trên 10 mục tiêu" in dashboard and "Số thôn kiểu mẫu" in dashboard
    # Seed 002 rate is 73.7 % on 31/01/2025; today includes the 14/03/2025 disbursement.
    assert "Tỷ lệ giải ngân kế hoạch 2024" in dashboard and "74,7 %" in dashboard
    commune = monitored.browser("officer").get(f"/units/{KHAO_MANG}").text
    assert "trên 1 mục tiêu" in commune and "Tỷ lệ giải ngân" not in commune


def test_alerts_link_to_the_rows_behind_them_and_charts_are_drawn(monitored: Site) -> None:
    browser = monitored.browser("admin")
    page = browser.get("/monitoring").text
    # Seed 002's 2024 plan, read after its deadline (the test machine's today is later).
    # Seed 002: 134.6 bn of investment (and recurrent capital) left after 31/01/2025, carried
    # into 2025, lapsed on 31/12/2025; the carried-in 2023 capital was spent first.
    assert "tỷ đồng vốn kế hoạch 2024 chưa giải ngân, đã hết hạn ngày 31/12/2025" in page
    assert "ntp-new-rural: giải ngân 80,7% kế hoạch 2024, chậm so với lịch" in page
    assert "Số thôn kiểu mẫu [15]" in page  # the target off track
    assert "99 xã chưa có đánh giá tiêu chí nông thôn mới năm 2024" in page  # Lào Cai's communes
    assert page.count("<polyline") == 1 and page.count("<rect") == 20  # 0 … 19 criteria
    lapse = re.search(r'href="(/monitoring/rows\?kind=plans&amp;plan_year=2024[^"]*)"', page)
    assert lapse is not None
    rows = browser.get(lapse[1].replace("&amp;", "&")).text
    assert "Số liệu đã lưu" in rows and "source_year" in rows and "2023" in rows
    missing = browser.get("/monitoring/rows?kind=missing-evaluations&year=2024").text
    assert KHAO_MANG in missing and "/monitoring/ntm/evaluate?commune=" in missing


def test_the_disbursement_calendar_runs_from_january_to_the_deadline() -> None:
    from datetime import date

    from ansinh.web.monitoring_alerts import expected_share

    assert expected_share(2024, date(2024, 1, 1)) == 0.0
    assert expected_share(2024, date(2025, 1, 31)) == 1.0  # Law 39/2019 Art. 68: 31 January
    assert 0.49 < expected_share(2024, date(2024, 7, 16)) < 0.51

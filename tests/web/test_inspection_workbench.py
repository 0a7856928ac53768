"""The inspector's page (issue 16, item 9): paging, filters, records side by side in words,
decisions on several pairs and on overlaps, and the mark on a confirmed duplicate's household."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.web.conftest import Site, csrf_of
from tests.web.queued import PAIRS, queue_pairs

from ansinh.store.inspection_models import InspectionDecision, InspectionFindingDecision
from ansinh.store.models import AuditEntry, Household


@pytest.fixture
def queued(site: Site, tmp_path: Path) -> tuple[Site, dict[str, int]]:
    return site, queue_pairs(site.engine, tmp_path)


def pairs_on(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-pair="(\d+)"', page)]


def test_the_queue_is_paged_25_pairs_at_a_time(queued: tuple[Site, dict[str, int]]) -> None:
    site, _ = queued
    inspector = site.browser("inspector")
    first = inspector.get("/inspection").text
    assert len(pairs_on(first)) == 25 and f"{PAIRS} cặp" in first
    assert (
        'href="/inspection?commune=&amp;band=&amp;status=undecided&amp;fpage=1&amp;page=2"' in first
    )
    second = inspector.get("/inspection?page=2").text
    assert len(pairs_on(second)) == PAIRS - 25
    assert not set(pairs_on(first)) & set(pairs_on(second))
    assert pairs_on(inspector.get("/inspection?page=99").text) == pairs_on(second)


def test_filters_by_probability_band_and_commune(queued: tuple[Site, dict[str, int]]) -> None:
    site, ids = queued
    inspector = site.browser("inspector")
    high = pairs_on(inspector.get("/inspection?band=high").text)
    assert sorted(high) == sorted(ids[f"Q{n:02d}"] for n in range(1, 11))
    lower = pairs_on(inspector.get("/inspection?band=possible").text)
    assert sorted(lower) == sorted(ids[f"Q{n:02d}"] for n in range(21, 31))
    page = inspector.get("/inspection").text
    assert '<option value="04456" >Xã Mù Cang Chải</option>' in page
    # Every pair has Q00 of Khao Mang; only Q00~Q30 has someone in Mù Cang Chải.
    assert pairs_on(inspector.get("/inspection?commune=04456").text) == [ids["Q30"]]


def test_both_records_side_by_side_in_plain_vietnamese(
    queued: tuple[Site, dict[str, int]],
) -> None:
    site, _ = queued
    page = site.browser("inspector").get("/inspection?band=high").text
    households = site.ids()
    assert f'href="/households/{households["HQ00"]}"' in page
    assert f'href="/households/{households["HQ01"]}"' in page
    for words in (
        "Hồ sơ 1",
        "Hồ sơ 2",
        "Thái",
        "Chủ hộ",
        "Thôn 1",
        "Xã Khao Mang",
        "04/04/1962",
        "không có số định danh",
        "Địa chỉ gần giống",
        "Cùng họ",
        "Năm sinh lệch một",
        "nghiêng về hai người",
    ):
        assert words in page, words
    for token in (
        "jaro",
        "address_folded",
        "similar address",
        "different · missing",
        "vang2",
        "years one apart",
        ">missing<",
        "head<",
    ):
        assert token not in page.lower(), token
    # Overlap rule and benefit by their names, not their codes.
    assert "Trợ cấp xã hội hằng tháng nhiều hơn một mức" in page
    assert "social_assistance_rules" not in page and "elderly_poor" not in page


def test_one_decision_on_several_pairs_is_stored_and_audited(
    queued: tuple[Site, dict[str, int]],
) -> None:
    site, ids = queued
    inspector = site.browser("inspector")
    page = inspector.get("/inspection").text
    chosen = [ids["Q01"], ids["Q02"], ids["Q03"]]
    answer = inspector.post(
        "/inspection/pairs",
        data={
            "pick": [str(i) for i in chosen],
            "decision": "confirm",
            "note": "Cùng một người",
            "csrf_token": csrf_of(page),
            "back": "commune=&band=&status=undecided&page=1",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/inspection?commune=")
    with site.engine.connect() as connection:
        stored = connection.execute(
            select(InspectionDecision.person_r, InspectionDecision.decision)
        ).all()
        audited = connection.scalar(
            select(func.count()).where(AuditEntry.entity == "inspection_decision")
        )
    assert sorted(stored) == [("Q01", "confirm"), ("Q02", "confirm"), ("Q03", "confirm")]
    assert audited == 3
    after = inspector.get(answer.headers["location"]).text
    assert "Đã ghi nhận quyết định cho 3 mục." in after
    assert not set(chosen) & set(pairs_on(after + inspector.get("/inspection?page=2").text))
    decided = inspector.get("/inspection?status=decided").text
    assert sorted(pairs_on(decided)) == sorted(chosen)
    assert "Đã quyết định: Là một người · Cùng một người" in decided
    # The household of a confirmed duplicate says so, naming the other record's household.
    households = site.ids()
    assert "Người trùng đã được xác nhận" in inspector.get(f"/households/{households['HQ01']}").text
    officer = site.browser("officer").get(f"/households/{households['HQ01']}").text
    assert "Người trùng đã được xác nhận" in officer
    assert "Lò Văn Sinh 1 là cùng một người với Lò Văn Sinh 0" in officer
    assert f'href="/households/{households["HQ00"]}"' in officer
    plain = site.browser("officer").get(f"/households/{households['HQ20']}").text
    assert "Người trùng đã được xác nhận" not in plain


def test_a_pair_decided_on_its_own_button(queued: tuple[Site, dict[str, int]]) -> None:
    site, ids = queued
    inspector = site.browser("inspector")
    page = inspector.get("/inspection").text
    answer = inspector.post(
        "/inspection/pairs",
        data={
            "one": f"{ids['Q05']}:reject",
            "pick": [str(ids["Q06"])],
            "csrf_token": csrf_of(page),
        },
    )
    assert answer.status_code == 200
    with site.engine.connect() as connection:
        stored = connection.execute(
            select(InspectionDecision.person_r, InspectionDecision.decision)
        ).all()
    assert stored == [("Q05", "reject")]  # only the pair whose button it was


def test_bad_bulk_decisions_are_refused(queued: tuple[Site, dict[str, int]]) -> None:
    site, ids = queued
    inspector = site.browser("inspector")
    csrf = csrf_of(inspector.get("/inspection").text)
    cases = [
        ({"pick": [str(ids["Q01"])], "decision": "merge", "csrf_token": csrf}, 400),
        ({"pick": ["x1"], "decision": "confirm", "csrf_token": csrf}, 400),
        ({"pick": ["999999"], "decision": "confirm", "csrf_token": csrf}, 404),
        ({"pick": [str(ids["Q01"])], "decision": "confirm"}, 403),
    ]
    for data, status in cases:
        assert inspector.post("/inspection/pairs", data=data).status_code == status
    assert site.browser("officer").post("/inspection/pairs", data=cases[0][0]).status_code == 403
    with site.engine.connect() as connection:
        assert connection.execute(select(InspectionDecision)).first() is None


def test_an_overlap_is_concluded_and_audited(queued: tuple[Site, dict[str, int]]) -> None:
    site, _ = queued
    inspector = site.browser("inspector")
    page = inspector.get("/inspection").text
    (finding,) = re.findall(r'data-finding="(\d+)"', page)
    answer = inspector.post(
        "/inspection/findings",
        data={
            "pick": [finding],
            "decision": "confirm",
            "note": "Dừng một mức",
            "csrf_token": csrf_of(page),
        },
    )
    assert answer.status_code == 200
    with site.engine.connect() as connection:
        stored = connection.execute(
            select(InspectionFindingDecision.rule, InspectionFindingDecision.decision)
        ).all()
        audit = connection.execute(
            select(AuditEntry.actor, AuditEntry.unit_code).where(
                AuditEntry.entity == "inspection_finding_decision"
            )
        ).all()
    assert stored == [("social_assistance_rules", "confirm")]
    assert audit == [("inspector", "04465")]
    assert "data-finding" not in answer.text  # no longer among the undecided
    decided = inspector.get("/inspection?status=decided").text
    assert f'data-finding="{finding}"' in decided
    assert "Hưởng chồng chéo thật: cần dừng một chế độ" in decided
    wrong = inspector.post(
        "/inspection/findings",
        data={"pick": [finding], "decision": "confirm_all", "csrf_token": csrf_of(page)},
    )
    assert wrong.status_code == 400


def test_households_without_a_run_are_unmarked(site: Site) -> None:
    households = site.ids()
    page = site.browser("officer").get(f"/households/{households['H1']}").text
    assert "Người trùng đã được xác nhận" not in page
    with site.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Household)) == 2

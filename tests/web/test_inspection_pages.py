"""The inspection review queue page: who may see it, field-by-field evidence, decisions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.builders import write_csv
from tests.store.test_inspection import PEOPLE
from tests.web.conftest import Site, csrf_of

from ansinh.io.importer import import_file
from ansinh.linkage.linker import make_linker
from ansinh.store.inspection import inspect_registry
from ansinh.store.inspection_models import InspectionDecision
from ansinh.store.models import AuditEntry


@pytest.fixture
def inspected(site: Site, tmp_path: Path) -> Site:
    """Khao Mang's registry and social-assistance list typed apart, linked once (duckdb)."""
    import_file(site.engine, write_csv(tmp_path / "people.csv", PEOPLE), actor="officer")
    inspect_registry(
        site.engine,
        make_linker("duckdb"),
        year=2025,
        threshold=0.9,
        actor="inspector",
        engine_name="duckdb",
    )
    return site


def pair_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-pair="(\d+)"', page)]


def test_only_inspectors_and_province_admins_see_the_queue(inspected: Site) -> None:
    for username in ("viewer", "officer"):
        browser = inspected.browser(username)
        assert browser.get("/inspection").status_code == 403
        assert 'href="/inspection"' not in browser.get("/search").text
        answer = browser.post("/inspection/1", data={"decision": "reject", "csrf_token": "x"})
        assert answer.status_code == 403
    assert inspected.browser("admin").get("/inspection").status_code == 200


def test_inspector_sees_pairs_with_evidence_and_findings(inspected: Site) -> None:
    page = inspected.browser("inspector").get("/inspection")
    assert page.status_code == 200 and 'href="/inspection"' in page.text
    assert len(pair_ids(page.text)) == 3  # A1~R1, A2~R3, A3~R4 (tests/store/test_inspection.py)
    assert "Giàng A Páo" in page.text and "Tran Thi Thuy" in page.text
    assert 'class="towards-one"' in page.text  # each field says which way it points
    assert 'class="towards-two"' in page.text or 'class="towards-none"' in page.text
    linked = re.findall(r'href="/households/(\d+)">([^<]+)</a>', page.text)
    assert ("Trần Thị Thuỷ" in {name for _, name in linked}) and len({h for h, _ in linked}) == 6
    # Decree 20/2021/ND-CP: the monthly social assistance is paid once, found on A1 and R1.
    assert "Trợ cấp xã hội hằng tháng nhiều hơn một mức" in page.text


def test_the_evidence_is_in_words_in_the_viewers_language(inspected: Site) -> None:
    inspector = inspected.browser("inspector")
    page = inspector.get("/inspection").text
    assert "Ngày và tháng sinh viết đảo" in page  # A1~R1: day and month swapped
    inspector.get("/lang/en?next=/inspection")
    assert "day and month of birth swapped" in inspector.get("/inspection").text


def test_a_decision_without_the_csrf_token_is_refused(inspected: Site) -> None:
    inspector = inspected.browser("inspector")
    first = pair_ids(inspector.get("/inspection").text)[0]
    answer = inspector.post(f"/inspection/{first}", data={"decision": "reject"})
    assert answer.status_code == 403
    with inspected.engine.connect() as connection:
        assert connection.execute(select(InspectionDecision)).first() is None
    assert first in pair_ids(inspector.get("/inspection").text)


def test_a_rejected_pair_is_stored_audited_and_leaves_the_queue(inspected: Site) -> None:
    inspector = inspected.browser("inspector")
    page = inspector.get("/inspection").text
    first = pair_ids(page)[0]
    answer = inspector.post(
        f"/inspection/{first}",
        data={"decision": "reject", "note": "Hai người khác nhau", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/inspection")
    with inspected.engine.connect() as connection:
        (stored,) = connection.execute(
            select(InspectionDecision.decision, InspectionDecision.actor, InspectionDecision.note)
        ).all()
        audited = connection.scalar(
            select(AuditEntry.actor).where(AuditEntry.entity == "inspection_decision")
        )
    assert tuple(stored) == ("reject", "inspector", "Hai người khác nhau")
    assert audited == "inspector"
    after = inspector.get("/inspection?decided=reject").text
    assert first not in pair_ids(after) and len(pair_ids(after)) == 2
    assert "Đã ghi nhận quyết định." in after


def test_an_unknown_decision_is_a_bad_request(inspected: Site) -> None:
    inspector = inspected.browser("inspector")
    page = inspector.get("/inspection").text
    first = pair_ids(page)[0]
    answer = inspector.post(
        f"/inspection/{first}", data={"decision": "merge", "csrf_token": csrf_of(page)}
    )
    assert answer.status_code == 400


def test_the_queue_without_a_run_says_so(site: Site) -> None:
    page = site.browser("inspector").get("/inspection")
    assert page.status_code == 200 and "Chưa có lần rà soát trùng lặp nào" in page.text
    english = site.browser("inspector")
    english.get("/lang/en?next=/inspection")
    assert "No inspection run yet" in english.get("/inspection").text

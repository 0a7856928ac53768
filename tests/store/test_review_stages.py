"""A commune's review stage by stage, the complaints register, recognised results kept across
a rerun, what-if runs apart, regular reviews and their monthly report, on both backends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store import review
from ansinh.store.models import AuditEntry, ReviewResult, ReviewSummary
from ansinh.store.regular_reviews import Application, monthly_report, record_application
from ansinh.store.review import current_run, official_run, run_review
from ansinh.store.review_complaints import (
    Decision,
    NewComplaint,
    add_complaint,
    complaints_in,
    decide_complaint,
)
from ansinh.store.review_models import ReviewStage
from ansinh.store.review_stages import (
    StagePapers,
    is_draft,
    is_recognised,
    province_progress,
    record_stage,
)
from ansinh.store.scope import WHOLE_REGISTRY, Scope

TODAY = date(2025, 12, 10)
POOR = {"water", "sanitation", "telecom"}
MEETING = StagePapers(
    attendance=42, meeting_result="agreed", minutes_name="bb.pdf", minutes=b"%PDF"
)


@pytest.fixture
def reviewed(engine: Engine, tmp_path: Path) -> Engine:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    surveys = [survey("H1", 1_500_000, POOR), survey("H2", 1_900_000, set())]
    import_file(engine, write_csv(tmp_path / "s.csv", surveys), actor="tester")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    return engine


def stage(
    engine: Engine, code: str, on: date, papers: StagePapers = StagePapers(), **kw: object
) -> date | None:
    with engine.begin() as connection:
        return record_stage(
            connection,
            commune=KHAO_MANG,
            year=2025,
            stage=code,
            on=on,
            papers=papers,
            actor="officer",
            scope=kw.get("scope", WHOLE_REGISTRY),
            today=TODAY,  # type: ignore[arg-type]
            province=bool(kw.get("province", False)),
        )


def up_to_posting(engine: Engine) -> None:
    stage(engine, "listed", date(2025, 9, 5))
    stage(engine, "surveyed", date(2025, 10, 10))
    stage(engine, "village_meeting", date(2025, 10, 20), MEETING)
    # QĐ 24/2021 Điều 4 khoản 3: posted Monday 3 November for 03 working days, to Wednesday.
    assert stage(engine, "posted", date(2025, 11, 3)) == date(2025, 11, 5)


def complain(
    engine: Engine, household: str | None = "H1", received: date = date(2025, 11, 4)
) -> int:
    new = NewComplaint(KHAO_MANG, 2025, "Lý Thị Mai", "in_person", received, household)
    with engine.begin() as connection:
        return add_complaint(connection, new, actor="officer", scope=WHOLE_REGISTRY, today=TODAY)


def statuses(engine: Engine, run_id: int | None = None) -> dict[str, str]:
    with engine.connect() as connection:
        run_id = run_id or official_run(connection, 2025)
        rows = connection.execute(
            select(ReviewResult.commune_code, ReviewResult.status).where(
                ReviewResult.run_id == run_id
            )
        ).all()
    return dict(rows)


def test_the_lists_are_a_draft_until_the_village_meeting(reviewed: Engine) -> None:
    with reviewed.connect() as connection:
        assert is_draft(connection, KHAO_MANG, 2025)
    stage(reviewed, "listed", date(2025, 9, 5))
    stage(reviewed, "surveyed", date(2025, 10, 10))
    stage(reviewed, "village_meeting", date(2025, 10, 20), MEETING)
    with reviewed.connect() as connection:
        assert not is_draft(connection, KHAO_MANG, 2025)


def test_no_recognition_while_a_complaint_is_open_nor_during_the_posting(reviewed: Engine) -> None:
    up_to_posting(reviewed)
    complaint = complain(reviewed)
    with pytest.raises(InputError, match="khiếu nại"):
        stage(reviewed, "complaints_heard", date(2025, 11, 10))
    with reviewed.begin() as connection:
        decide_complaint(
            connection,
            complaint,
            Decision(date(2025, 11, 12), "rejected", "12/QĐ-UBND"),
            actor="officer",
            scope=WHOLE_REGISTRY,
            today=TODAY,
        )
    with pytest.raises(InputError, match="niêm yết"):
        stage(reviewed, "complaints_heard", date(2025, 11, 5))
    stage(reviewed, "complaints_heard", date(2025, 11, 12))
    with pytest.raises(InputError, match="decision_no"):
        stage(reviewed, "recognised", date(2025, 11, 14))
    stage(reviewed, "recognised", date(2025, 11, 14), StagePapers(decision_no="45/QĐ-UBND"))
    with reviewed.connect() as connection:
        assert is_recognised(connection, KHAO_MANG, 2025)
        audited = connection.scalar(select(func.count()).where(AuditEntry.entity == "review_stage"))
    assert audited == 6


def test_bad_papers_change_nothing(reviewed: Engine) -> None:
    stage(reviewed, "listed", date(2025, 9, 5))
    stage(reviewed, "surveyed", date(2025, 10, 10))
    other_village = StagePapers(
        attendance=30, meeting_result="agreed", minutes=b"x", village_code=f"{KHAO_MANG}-99"
    )
    with pytest.raises(InputError, match="không thuộc xã"):
        stage(reviewed, "village_meeting", date(2025, 10, 20), other_village)
    with pytest.raises(InputError, match="complaint"):
        complain(reviewed, household="H2")  # H2 lives in Mù Cang Chải
    with pytest.raises(PermissionError):
        stage(
            reviewed,
            "village_meeting",
            date(2025, 10, 20),
            MEETING,
            scope=Scope(frozenset({MU_CANG_CHAI}), frozenset({MU_CANG_CHAI})),
        )
    with reviewed.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReviewStage)) == 2


def test_only_the_province_signs_off(reviewed: Engine) -> None:
    up_to_posting(reviewed)
    stage(reviewed, "complaints_heard", date(2025, 11, 6))
    stage(reviewed, "recognised", date(2025, 11, 7), StagePapers(decision_no="45/QĐ-UBND"))
    stage(reviewed, "reported", date(2025, 11, 8))
    with pytest.raises(InputError, match="province"):
        stage(reviewed, "approved", date(2025, 11, 20))
    stage(reviewed, "approved", date(2025, 11, 20), province=True)


@pytest.mark.parametrize("parts", [1, 2])
def test_a_recognised_commune_keeps_its_results_across_a_rerun(
    reviewed: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    """In two parts on PostgreSQL, one household to each: the communes kept are found once
    for both parts."""
    monkeypatch.setattr(review, "MIN_PART_HOUSEHOLDS", 1)
    monkeypatch.setattr(review, "_part_count", lambda: parts)
    up_to_posting(reviewed)
    stage(reviewed, "complaints_heard", date(2025, 11, 6))
    stage(reviewed, "recognised", date(2025, 11, 7), StagePapers(decision_no="45/QĐ-UBND"))
    assert statuses(reviewed) == {KHAO_MANG: "poor", MU_CANG_CHAI: "average"}
    # New questionnaires: H1 richer, H2 poor. Only the commune not yet recognised changes.
    later = [
        survey("H1", 5_000_000, set(), survey_date=""),
        survey("H2", 1_500_000, POOR, survey_date=""),
    ]
    import_file(reviewed, write_csv(tmp_path / "s2.csv", later), actor="tester")
    run_review(reviewed, 2025, load_standard("vn-2022-2025"), "tester")
    assert statuses(reviewed) == {KHAO_MANG: "poor", MU_CANG_CHAI: "poor"}


def test_a_what_if_run_is_kept_apart(reviewed: Engine) -> None:
    with reviewed.connect() as connection:
        official = official_run(connection, 2025)
    run_review(reviewed, 2025, load_standard("vn-2027-2030"), "tester")
    with reviewed.connect() as connection:
        assert official_run(connection, 2025) == official
        run = current_run(connection, 2025)
    assert run is not None and run.id == official


def test_an_upheld_complaint_reclassifies_the_household(reviewed: Engine) -> None:
    complaint = complain(reviewed)
    with reviewed.begin() as connection:
        before = decide_complaint(
            connection,
            complaint,
            Decision(date(2025, 11, 20), "upheld", "13/QĐ-UBND", new_status="near_poor"),
            actor="officer",
            scope=WHOLE_REGISTRY,
            today=TODAY,
        )
        run_id = official_run(connection, 2025)
        near_poor = connection.scalar(
            select(ReviewSummary.near_poor_households).where(
                ReviewSummary.run_id == run_id,
                ReviewSummary.unit_code == KHAO_MANG,
                ReviewSummary.group_kind == "all",
            )
        )
        changed = connection.scalar(
            select(func.count()).where(AuditEntry.action == "review_change")
        )
    assert before == "poor" and statuses(reviewed)[KHAO_MANG] == "near_poor"
    assert near_poor == 1 and changed == 1


def test_complaint_deadlines_and_the_overdue(reviewed: Engine) -> None:
    complain(reviewed, received=date(2025, 10, 1))  # not accepted by 11 October: overdue
    complain(reviewed, household=None, received=date(2025, 12, 8))  # about the list
    with reviewed.connect() as connection:
        rows = complaints_in(connection, [KHAO_MANG], TODAY, 2025)
        progress = province_progress(connection, [KHAO_MANG, MU_CANG_CHAI], 2025, TODAY)
    assert [r.standing for r in rows] == ["overdue", "open"]
    assert rows[0].acknowledge_by == date(2025, 10, 11)
    row = progress.filter(progress["commune_code"] == KHAO_MANG).row(0, named=True)
    assert (row["open_complaints"], row["overdue_complaints"], row["behind"]) == (2, 1, True)


def test_regular_reviews_and_their_monthly_report(reviewed: Engine) -> None:
    with reviewed.begin() as connection:
        record_application(
            connection,
            Application("H1", date(2025, 12, 2), date(2025, 12, 9), "near_poor", "50/QĐ-UBND"),
            actor="officer",
            scope=WHOLE_REGISTRY,
            today=TODAY,
        )
        record_application(
            connection,
            Application("H2", date(2025, 12, 3)),
            actor="officer",
            scope=WHOLE_REGISTRY,
            today=TODAY,
        )
        report = monthly_report(connection, None, date(2025, 12, 1))
    assert statuses(reviewed)[KHAO_MANG] == "near_poor"
    assert sorted(report.rows(named=True), key=lambda r: r["commune_code"]) == [
        {
            "commune_code": MU_CANG_CHAI,
            "status_before": "average",
            "status_after": None,
            "applications": 1,
            "decided": 0,
        },
        {
            "commune_code": KHAO_MANG,
            "status_before": "poor",
            "status_after": "near_poor",
            "applications": 1,
            "decided": 1,
        },
    ]

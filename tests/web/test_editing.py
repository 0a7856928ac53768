"""The edit form: checked as an import within the editor's units, never naming what lies outside."""

from __future__ import annotations

from sqlalchemy import func, select, update
from tests.web.conftest import Site, csrf_of

from ansinh.store.models import AuditEntry, Person

HUNG_ID = "015080000777"  # given to P5, head of H2 in Mù Cang Chải, outside the officer's units


def test_a_citizen_id_held_outside_the_editors_units_is_not_named(site: Site) -> None:
    """Trust issue, item 3: the form answered 'already belongs to person P5'."""
    with site.engine.begin() as connection:
        connection.execute(update(Person).where(Person.code == "P5").values(citizen_id=HUNG_ID))
    h1 = site.ids()["H1"]
    officer = site.browser("officer")
    token = csrf_of(officer.get(f"/households/{h1}/edit").text)
    answer = officer.post(
        f"/households/{h1}/edit",
        data={"csrf_token": token, "P1:citizen_id": HUNG_ID, "P1:birth_date": "1980"},
    )
    assert answer.status_code == 400
    # The session's random CSRF token may hold the letters "P5"; only the rest of the page counts.
    shown = answer.text.replace(csrf_of(answer.text), "")
    assert "ngoài phạm vi" in shown and "P5" not in shown
    with site.engine.connect() as connection:
        probe = connection.execute(
            select(AuditEntry.actor, AuditEntry.entity_key).where(AuditEntry.action == "conflict")
        ).all()
    assert [tuple(p) for p in probe] == [("officer", "P5")]


def _post(site: Site, who: str, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    browser = site.browser(who)
    h1 = site.ids()["H1"]
    token = csrf_of(browser.get(f"/households/{h1}/edit").text)
    return browser.post(path.format(h1=h1), data={"csrf_token": token, **data})


def _audited_since(site: Site, first: int) -> list[tuple[str, str, str]]:
    with site.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_key)
            .where(AuditEntry.id > first)
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _last_audit(site: Site) -> int:
    with site.engine.connect() as connection:
        return int(connection.scalar(select(func.max(AuditEntry.id))) or 0)


def test_a_date_typed_day_first_is_saved_and_shown_day_first(site: Site) -> None:
    """Workbench issue, item 3: dd/mm/yyyy was refused, dates were shown as ISO."""
    first = _last_audit(site)
    saved = _post(site, "officer", "/households/{h1}/edit", {"P2:birth_date": "15/01/1973"})
    assert saved.status_code == 200 and "15/01/1973" in saved.text
    with site.engine.connect() as connection:
        assert connection.scalar(select(Person.birth_date).where(Person.code == "P2")) == (
            "1973-01-15"
        )
    assert _audited_since(site, first) == [("update", "person", "P2")]


def test_an_error_is_told_beside_its_field_in_vietnamese(site: Site) -> None:
    answer = _post(site, "officer", "/households/{h1}/edit", {"P2:birth_date": "2999-01-01"})
    assert answer.status_code == 400
    beside = answer.text.split('id="P2-birth_date-error">')[1].split("</p>")[0]
    assert "tương lai" in beside and "future" not in beside
    assert 'aria-invalid="true" aria-describedby="P2-birth_date-error"' in answer.text
    assert "Dòng" not in answer.text  # not an import table


def test_ethnicity_is_edited_and_a_member_added(site: Site) -> None:
    first = _last_audit(site)
    saved = _post(
        site,
        "officer",
        "/households/{h1}/edit",
        {
            "P2:ethnicity": "01",
            "new:full_name": "Giàng Thị Hoa",
            "new:birth_date": "02/03/2015",
            "new:sex": "F",
            "new:relation": "child",
            "new:ethnicity": "17",
        },
    )
    assert saved.status_code == 200, saved.text
    with site.engine.connect() as connection:
        p2 = connection.scalar(select(Person.ethnicity_code).where(Person.code == "P2"))
        added = connection.execute(
            select(Person.full_name, Person.birth_date, Person.relation).where(
                Person.code == "H1-1"
            )
        ).one()
    assert p2 == "01" and tuple(added) == ("Giàng Thị Hoa", "2015-03-02", "child")
    assert sorted(_audited_since(site, first)) == [
        ("create", "person", "H1-1"),
        ("update", "person", "P2"),
    ]


def test_an_added_members_error_is_told_beside_its_field(site: Site) -> None:
    answer = _post(
        site,
        "officer",
        "/households/{h1}/edit",
        {"new:full_name": "Giàng Thị Hoa", "new:birth_date": "31/02/2015"},
    )
    assert answer.status_code == 400 and 'id="new-birth_date-error"' in answer.text
    assert 'value="Giàng Thị Hoa"' in answer.text  # what was typed is kept


def test_a_member_is_removed_with_a_reason_audited(site: Site) -> None:
    first = _last_audit(site)
    empty = _post(site, "officer", "/households/{h1}/members/remove", {"person_id": "P3"})
    assert empty.status_code == 400 and "Cần ghi lý do" in empty.text
    head = _post(
        site,
        "officer",
        "/households/{h1}/members/remove",
        {"person_id": "P1", "reason": "chuyển đi"},
    )
    assert head.status_code == 400 and "chủ hộ" in head.text
    holder = _post(
        site, "officer", "/households/{h1}/members/remove", {"person_id": "P4", "reason": "đã mất"}
    )
    assert holder.status_code == 400 and "chế độ" in holder.text
    done = _post(
        site,
        "officer",
        "/households/{h1}/members/remove",
        {"person_id": "P3", "reason": "Chuyển khẩu về xã khác"},
    )
    assert done.status_code == 200 and "Giàng A Chứ" not in done.text.split("<h2")[1]
    with site.engine.connect() as connection:
        assert connection.scalar(select(Person.id).where(Person.code == "P3")) is None
        entry = connection.execute(
            select(AuditEntry.action, AuditEntry.before, AuditEntry.after).where(
                AuditEntry.id > first, AuditEntry.entity_key == "P3"
            )
        ).one()
    assert entry.action == "delete" and "Giàng A Chứ" in entry.before
    assert "Chuyển khẩu về xã khác" in entry.after
    outsider = _post(
        site, "viewer", "/households/{h1}/members/remove", {"person_id": "P2", "reason": "x"}
    )
    assert outsider.status_code == 403


def test_a_decision_is_recorded_through_the_decisions_workflow(site: Site) -> None:
    form = {
        "person_id": "P4",
        "benefit": "meritorious|resistance_participant",
        "decision_no": "12/QĐ-UBND",
        "decision_date": "15/03/2025",
        "start_month": "04/2025",
    }
    answer = _post(site, "officer", "/households/{h1}/decisions", form)
    assert answer.status_code == 200, answer.text
    assert "12/QĐ-UBND" in answer.text
    wrong = _post(site, "officer", "/households/{h1}/decisions", form | {"person_id": "P5"})
    assert wrong.status_code == 400 and "Chọn một thành viên của hộ" in wrong.text

"""The edit form: checked as an import within the editor's units, never naming what lies outside."""

from __future__ import annotations

from sqlalchemy import select, update
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
    assert "ngoài phạm vi" in answer.text and "P5" not in answer.text
    with site.engine.connect() as connection:
        probe = connection.execute(
            select(AuditEntry.actor, AuditEntry.entity_key).where(AuditEntry.action == "conflict")
        ).all()
    assert [tuple(p) for p in probe] == [("officer", "P5")]

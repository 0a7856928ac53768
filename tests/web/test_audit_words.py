"""The audit log in the officers' words (issue 16, item 10): actions, record types and fields
by their Vietnamese names, each change as field: before → after, filters by label and date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from tests.web.conftest import Site

import ansinh
from ansinh.store.models import AuditEntry
from ansinh.web.audit_view import changes, named, parse_day, shown
from ansinh.web.i18n import catalog


def test_a_change_is_a_table_of_named_fields() -> None:
    before = (
        '{"full_name": "Giàng A Páo", "sex": "M", "relation": "head", "birth_date": "1970-05-02"}'
    )
    after = (
        '{"full_name": "Giàng A Pao", "sex": "M", "relation": "spouse", "birth_date": "1970-05-02"}'
    )
    rows = changes(before, after, "vi")
    assert [(r.field, r.before, r.after, r.changed) for r in rows] == [
        ("Họ và tên", "Giàng A Páo", "Giàng A Pao", True),
        ("Quan hệ với chủ hộ", "Chủ hộ", "Vợ/Chồng", True),
        ("Giới tính", "Nam", "Nam", False),
        ("Ngày sinh", "02/05/1970", "02/05/1970", False),
    ]
    (created,) = changes(None, '{"deprived_water": 1}', "vi")
    assert (created.field, created.before, created.after) == ("Nguồn nước sinh hoạt", "", "Có")
    assert changes(None, '{"able_to_work": false}', "en")[0].after == "No"
    assert shown("ethnicity_code", "01", "vi") == "Kinh"
    (category,) = changes(
        None, '{"category": "elderly_80"}', "vi", "benefit", "P1/social_assistance/elderly_80"
    )
    assert "elderly_80" not in category.after and category.after.startswith("Trợ cấp")


def test_every_action_and_record_type_written_has_its_name_and_is_a_filter_choice(
    site: Site,
) -> None:
    """The log's filter offers the catalogue's actions and record types (`named`), not a
    DISTINCT of the whole log: every one the code writes must be named there, those written
    literally (`action="..."`, `entity="..."`) and those the literal site's log holds."""
    source = "\n".join(
        path.read_text("utf-8")
        for path in (Path(ansinh.__file__).parent).rglob("*.py")
        if "migrations" not in path.parts
    )
    with site.engine.connect() as connection:
        held = connection.execute(select(AuditEntry.action, AuditEntry.entity).distinct()).all()
    for kind in ("action", "entity"):
        written = set(re.findall(rf'\b{kind}="([a-z_]+)"', source))
        written |= {row[0] if kind == "action" else row[1] for row in held}
        assert written and written <= set(named(kind)), sorted(written - set(named(kind)))
        assert all(f"{kind}.{code}" in catalog("en") for code in written)


def test_days_are_read_as_typed() -> None:
    assert parse_day("2026-12-05") == parse_day("05/12/2026") is not None
    assert parse_day("31/02/2026") is None and parse_day("hôm qua") is None


def test_the_log_page_names_actions_records_and_fields(site: Site) -> None:
    page = site.browser("admin").get("/audit").text
    assert "action." not in page and "entity." not in page and "field." not in page
    assert '<option value="create" >tạo</option>' in page
    assert '<option value="person" >Thành viên</option>' in page
    assert '<option value="household" >Hộ</option>' in page
    shown_rows = re.findall(r"</time></td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", page)
    words = catalog("vi")
    actions = {v for k, v in words.items() if k.startswith("action.")}
    records = {v for k, v in words.items() if k.startswith("entity.")}
    assert shown_rows and {action for action, _ in shown_rows} <= actions
    assert {"Thành viên", "Hộ", "Tài khoản"} <= {entity for _, entity in shown_rows} <= records
    assert '"full_name"' not in page
    # Each entry's fields load when it is opened (web/routes/audit.py).
    people = site.browser("admin").get("/audit?entity=person").text
    person = re.search(r'hx-get="(/audit/\d+)"', people)
    assert person is not None
    fields = site.browser("admin").get(person[1], headers={"HX-Request": "true"}).text
    assert '<th scope="row">Họ và tên</th>' in fields and '"full_name"' not in fields
    english = site.browser("admin")
    english.get("/lang/en?next=/audit")
    assert '<option value="person" >Person</option>' in english.get("/audit").text


def test_the_action_filter_takes_the_listed_action(site: Site) -> None:
    admin = site.browser("admin")
    everything = _count(admin.get("/audit").text)
    people = _count(admin.get("/audit?entity=person").text)
    created = _count(admin.get("/audit?action=create&entity=person").text)
    assert 0 < people == created < everything
    assert _count(admin.get("/audit?action=delete").text) == 0


def test_the_log_is_filtered_by_day_in_vietnam_time(site: Site) -> None:
    admin = site.browser("admin")
    total = _count(admin.get("/audit").text)
    # Half the log dated 10 days back, at 23:30 UTC: the next day in Vietnam (UTC+7).
    back = datetime.now(UTC).replace(hour=23, minute=30, second=0, microsecond=0) - timedelta(
        days=10
    )
    with site.engine.begin() as connection:
        connection.execute(update(AuditEntry).where(AuditEntry.entity == "person").values(at=back))
    day_in_vietnam = (back + timedelta(hours=7)).date()
    people = _count(admin.get("/audit?entity=person").text)
    on_the_day = f"/audit?since={day_in_vietnam.isoformat()}&until={day_in_vietnam:%d/%m/%Y}"
    assert _count(admin.get(on_the_day).text) == people
    assert _count(admin.get(f"/audit?until={back.date() - timedelta(days=1)}").text) == 0
    assert _count(admin.get(f"/audit?since={day_in_vietnam + timedelta(days=1)}").text) == (
        total - people
    )
    wrong = admin.get("/audit?since=31/02/2026").text
    assert "Ngày không hợp lệ" in wrong and _count(wrong) == total


def _count(page: str) -> int:
    found = re.search(r"<p>([\d.]+) mục", page)
    assert found is not None
    return int(found[1].replace(".", ""))

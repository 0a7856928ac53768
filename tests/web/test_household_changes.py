"""A household's history lists its changes and loads each one's fields when it is opened: the
fields for the roles that see citizen IDs, in the viewer's units, of that household only."""

from __future__ import annotations

import re

from sqlalchemy import select
from tests.web.conftest import Site

from ansinh.store.models import AuditEntry


def _changes(site: Site, household: int, entity: str | None = None) -> list[int]:
    """The ids of the household's changes (of one kind of record), newest first."""
    query = select(AuditEntry.id).where(AuditEntry.household_id == household)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    with site.engine.connect() as connection:
        return list(connection.scalars(query.order_by(AuditEntry.id.desc())))


def test_the_page_lists_changes_and_loads_their_fields_when_opened(site: Site) -> None:
    h1 = site.ids()["H1"]
    officer = site.browser("officer")
    page = officer.get(f"/households/{h1}").text
    urls = re.findall(rf'hx-get="(/households/{h1}/changes/\d+)"', page)
    assert len(urls) == len(_changes(site, h1)) and 'class="change"' not in page
    member = f"/households/{h1}/changes/{_changes(site, h1, 'person')[0]}"
    assert member in urls
    fragment = officer.get(member, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith(
        '<table class="change"'
    )
    assert "Họ và tên" in fragment.text and "<html" not in fragment.text
    alone = officer.get(member)  # without scripts: a page of its own, with the way back
    assert alone.status_code == 200 and "<html" in alone.text and 'class="change"' in alone.text
    assert f'href="/households/{h1}"' in alone.text


def test_a_change_is_only_its_households_in_the_viewers_units(site: Site) -> None:
    ids = site.ids()
    h1, h2 = ids["H1"], ids["H2"]
    ours, theirs = _changes(site, h1)[0], _changes(site, h2)[0]
    officer = site.browser("officer")  # Khao Mang only: H2 is in Mù Cang Chải
    assert officer.get(f"/households/{h1}/changes/{ours}").status_code == 200
    assert officer.get(f"/households/{h1}/changes/{theirs}").status_code == 404
    assert officer.get(f"/households/{h2}/changes/{theirs}").status_code == 404
    assert site.browser("admin").get(f"/households/{h2}/changes/{theirs}").status_code == 200
    # a province viewer sees the household, not the values of its changes
    viewer = site.browser("viewer")
    assert viewer.get(f"/households/{h1}").status_code == 200
    assert viewer.get(f"/households/{h1}/changes/{ours}").status_code == 404
    signed_out = site.browser().get(f"/households/{h1}/changes/{ours}", follow_redirects=False)
    assert signed_out.status_code in (303, 401) and "Họ và tên" not in signed_out.text

"""Dashboards and search results rendered once per registry version, and only for their scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.builders import KHAO_MANG, MU_CANG_CHAI, survey, write_csv
from tests.web.conftest import Site, csrf_of

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store import freshness
from ansinh.store.freshness import DataVersion, VersionedCache
from ansinh.store.review import run_review
from ansinh.web.routes import search, units

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _own_changes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The version without PostgreSQL's transactions in progress: those are cluster-wide, and
    the other test workers' would re-render pages at random here (test_freshness covers them)."""
    real = freshness.data_version

    def settled(connection):  # type: ignore[no-untyped-def]
        found = real(connection)
        return DataVersion(found.last_change, found.current_runs)

    for module in (units, search):
        monkeypatch.setattr(module, "data_version", settled)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The units whose dashboard is rendered, in order (not served from the cache)."""
    done: list[str] = []
    render = units._dashboard

    def counted(connection, scope, lineage, page, lang, sorting):  # type: ignore[no-untyped-def]
        done.append(lineage[-1].code)
        return render(connection, scope, lineage, page, lang, sorting)

    monkeypatch.setattr(units, "_dashboard", counted)
    return done


def pages(site: Site) -> VersionedCache:
    cache: VersionedCache = site.client.app.state.pages  # type: ignore[attr-defined]
    return cache


def test_a_dashboard_is_rendered_again_only_after_an_edit(site: Site, renders: list[str]) -> None:
    admin = site.browser("admin")
    first = admin.get(f"/units/{KHAO_MANG}")
    assert first.status_code == 200 and "Giàng A Páo" in first.text  # the head, in the list
    assert admin.get(f"/units/{KHAO_MANG}").text == first.text
    assert renders == [KHAO_MANG]
    h1 = site.ids()["H1"]
    token = csrf_of(admin.get(f"/households/{h1}/edit").text)
    saved = admin.post(
        f"/households/{h1}/edit", data={"csrf_token": token, "P1:full_name": "Giàng A Pùa"}
    )
    assert saved.status_code == 200
    edited = admin.get(f"/units/{KHAO_MANG}")
    assert "Giàng A Pùa" in edited.text and "Giàng A Páo" not in edited.text
    assert renders == [KHAO_MANG, KHAO_MANG]


def test_a_new_review_changes_the_dashboard(site: Site, renders: list[str], tmp_path: Path) -> None:
    admin = site.browser("admin")
    before = admin.get("/units/15")
    assert "50,00 %" in before.text  # H1 poor, H2 not: half the province's households
    poor = [survey("H2", 1_400_000, {"water", "sanitation", "telecom"})]
    import_file(site.engine, write_csv(tmp_path / "surveys.csv", poor), actor="tester")
    run_review(site.engine, 2025, load_standard("vn-2022-2025"), "tester")
    after = admin.get("/units/15")
    assert "100,00 %" in after.text and "50,00 %" not in after.text
    assert renders == ["15", "15"]


def test_a_cached_dashboard_is_never_served_outside_its_scope(
    site: Site, renders: list[str]
) -> None:
    admin, officer = site.browser("admin"), site.browser("officer")
    for code in ("15", MU_CANG_CHAI, KHAO_MANG):
        assert admin.get(f"/units/{code}").status_code == 200
    # The province administrator's pages are cached; the officer of Khao Mang still gets none.
    assert officer.get("/units/15").status_code == 403
    assert officer.get(f"/units/{MU_CANG_CHAI}").status_code == 403
    assert officer.get(f"/units/{KHAO_MANG}").status_code == 200
    scopes = {key[3] for key in pages(site).cached_keys() if key[0] == KHAO_MANG}
    assert scopes == {frozenset({"15"}), frozenset({KHAO_MANG})}  # one page per scope
    assert renders == ["15", MU_CANG_CHAI, KHAO_MANG, KHAO_MANG]
    # The same scope and language share a page; another language is another page.
    viewer = site.browser("viewer")
    assert viewer.get("/units/15").status_code == 200 and renders[-1] == KHAO_MANG
    viewer.get("/lang/en?next=/units/15")
    assert "Poverty rate" in viewer.get("/units/15").text and renders[-1] == "15"


def test_cached_search_results_keep_to_each_viewers_units_and_masking(site: Site) -> None:
    admin, officer, viewer = (site.browser(u) for u in ("admin", "officer", "viewer"))
    # Nguyễn Văn Hùng lives in Mù Cang Chải: the officer of Khao Mang may not find him.
    assert "Nguyễn Văn Hùng" in admin.get("/search?q=nguyen van hung", headers=HTMX).text
    assert "Nguyễn Văn Hùng" not in officer.get("/search?q=nguyen van hung", headers=HTMX).text
    # The administrator sees citizen IDs in full; the province viewer masked.
    assert "015070000123" in admin.get("/search?q=giang a pao", headers=HTMX).text
    assert "015070000123" not in viewer.get("/search?q=giang a pao", headers=HTMX).text
    page = viewer.get("/search?q=giang a pao")
    assert "<html" in page.text and "Giàng A Páo" in page.text


def test_search_results_follow_an_edit(site: Site) -> None:
    admin = site.browser("admin")
    assert "Sùng Thị Mai" in admin.get("/search?q=sung thi mai", headers=HTMX).text
    h1 = site.ids()["H1"]
    token = csrf_of(admin.get(f"/households/{h1}/edit").text)
    admin.post(f"/households/{h1}/edit", data={"csrf_token": token, "P2:full_name": "Sùng Thị Mây"})
    assert "Sùng Thị Mai" not in admin.get("/search?q=sung thi mai", headers=HTMX).text
    assert "Sùng Thị Mây" in admin.get("/search?q=sung thi may", headers=HTMX).text

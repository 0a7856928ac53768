"""The audit log by scope: a reader sees the changes of its units only, records masked."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from tests.builders import person, write_csv
from tests.web.conftest import PASSWORD, Site

from ansinh.io.importer import import_file
from ansinh.store.accounts import create_account
from ansinh.web.routes import audit as audit_route
from ansinh.web.security import mask_record

HOAN_KIEM = "00070"  # Phường Hoàn Kiếm, Hà Nội: another province than the accounts' Lào Cai


def another_province(site: Site, tmp_path: Path) -> None:
    """A household of Hà Nội, with a citizen ID, in the same registry as the Lào Cai ones."""
    rows = [
        person("HN1", "HHN", "Lê Văn Nam", "head", commune_code=HOAN_KIEM, village_code="",
               village_name="", birth_date="1985-02-03", sex="M", citizen_id="001085000777"),
    ]  # fmt: skip
    import_file(site.engine, write_csv(tmp_path / "hn.csv", rows), actor="hanoi-clerk")
    with site.engine.begin() as connection:
        create_account(connection, "inspector15", "inspector", ["15"], PASSWORD, "tester")


def test_the_audit_log_keeps_to_the_readers_units(site: Site, tmp_path: Path) -> None:
    """Trust issue, High: a province's admin read every province's changes, with their
    records; now the page, its export and the API keep to the reader's units."""
    another_province(site, tmp_path)
    for username in ("admin", "inspector15"):
        headers = site.token(username)
        body = site.client.get("/api/v1/audit?page_size=500", headers=headers).json()
        keys = {item["entity_key"] for item in body["items"]}
        assert body["total"] == len(body["items"]) and {"P1", "H1", "H2"} <= keys
        assert not keys & {"HN1", "HHN"} and "001085000777" not in str(body)
        assert site.client.get("/api/v1/audit?key=HN1", headers=headers).json()["total"] == 0
    admin = site.browser("admin")
    assert "HN1" not in admin.get("/audit?page=1").text
    assert "001085000777" not in admin.get("/audit?actor=hanoi-clerk").text
    workbook = openpyxl.load_workbook(io.BytesIO(admin.get("/export/audit.xlsx").content))
    cells = {str(c.value) for row in workbook.active.iter_rows() for c in row}
    assert "HN1" not in cells and "P1" in cells


def test_a_reader_of_the_whole_country_reads_every_units_changes(
    site: Site, tmp_path: Path
) -> None:
    another_province(site, tmp_path)
    body = site.client.get("/api/v1/audit?key=HN1", headers=site.token("inspector")).json()
    assert body["total"] == 1 and "001085000777" in body["items"][0]["after"]


def test_an_entry_of_the_log_opens_within_the_readers_units(site: Site, tmp_path: Path) -> None:
    """The log lists its entries; an entry's fields load when it is opened, from
    /audit/{id}: a fragment for htmx, a page of its own without scripts, in the reader's
    units only."""
    another_province(site, tmp_path)
    national = site.token("inspector")
    (hanoi,) = site.client.get("/api/v1/audit?key=HN1", headers=national).json()["items"]
    (lao_cai,) = site.client.get(
        "/api/v1/audit?key=P1&action=create", headers=site.token("admin")
    ).json()["items"]
    admin = site.browser("admin")
    log = admin.get("/audit?key=P1&action=create").text
    assert f'hx-get="/audit/{lao_cai["id"]}"' in log and '<th scope="row">' not in log
    fragment = admin.get(f"/audit/{lao_cai['id']}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert '<th scope="row">Họ và tên</th>' in fragment.text
    page = admin.get(f"/audit/{lao_cai['id']}").text
    assert "<html" in page and 'href="/audit"' in page and "Họ và tên" in page
    # Hà Nội's change is not the Lào Cai administrator's to open, nor is the log the officer's.
    assert admin.get(f"/audit/{hanoi['id']}").status_code == 404
    assert admin.get("/audit/999999999").status_code == 404
    assert site.browser("officer").get(f"/audit/{lao_cai['id']}").status_code == 403
    whole = site.browser("inspector").get(f"/audit/{hanoi['id']}", headers={"HX-Request": "true"})
    assert whole.status_code == 200 and "001085000777" in whole.text


def test_the_page_counts_no_further_than_its_limit_and_the_api_counts_all(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count of a national log reads all of it: the page stops counting one past its limit
    and says there are more; the API's total stays exact."""
    total = site.client.get("/api/v1/audit", headers=site.token("admin")).json()["total"]
    assert total > 4
    monkeypatch.setattr(audit_route, "COUNT_UP_TO", 3)
    monkeypatch.setattr(audit_route, "PAGE_SIZE", 2)
    admin = site.browser("admin")
    page = admin.get("/audit").text
    assert "Hơn 3 mục: hiện 3 mục mới nhất" in page
    assert page.count('hx-get="/audit/') == 2 and "page=2" in page and "page=3" not in page
    last = admin.get("/audit?page=9").text  # past the pages counted: the last counted
    assert last.count('hx-get="/audit/') == 2
    assert "Hơn" not in admin.get("/audit?action=create&entity=household&key=H1").text


def test_a_record_is_masked_as_pages_mask_citizen_ids() -> None:
    masked = mask_record('{"code": "P1", "citizen_id": "015070000123", "full_name": "Giàng A"}')
    assert masked is not None and "015070000123" not in masked and "Giàng A" in masked
    assert mask_record('{"citizen_id": null}') == '{"citizen_id": null}'
    assert mask_record("not json, citizen_id") == "not json, citizen_id"


def test_the_audit_workbook_holds_every_entry_not_one_page(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workbench issue, item 6: the export stopped at 100,000 of 153,454 entries, silently."""
    from ansinh.web import export_books

    monkeypatch.setattr(export_books, "AUDIT_PAGE", 3)  # several pages of a small log
    admin = site.browser("admin")
    total = site.client.get("/api/v1/audit", headers=site.token("admin")).json()["total"]
    book = openpyxl.load_workbook(io.BytesIO(admin.get("/export/audit.xlsx").content))
    assert book.active is not None and book.active.max_row == total + 1  # and the header
    # Each page starts below the last id of the one before: none twice, none left out, in the
    # log's order.
    listed = site.client.get(
        f"/api/v1/audit?page_size={total}", headers=site.token("admin")
    ).json()["items"]
    keys = [row[4] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert keys == [item["entity_key"] for item in listed]


def test_a_workbook_too_long_for_a_sheet_says_how_many_it_left_out(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ansinh.web import export_books

    monkeypatch.setattr(export_books, "AUDIT_PAGE", 2)
    monkeypatch.setattr(export_books, "MAX_ROWS", 4)  # three entries and the last row
    total = site.client.get("/api/v1/audit", headers=site.token("admin")).json()["total"]
    book = openpyxl.load_workbook(
        io.BytesIO(site.browser("admin").get("/export/audit.xlsx").content)
    )
    assert book.active is not None
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 and str(total) in str(rows[-1][0]) and "3" in str(rows[-1][0])


def test_a_page_past_the_last_shows_the_last(site: Site) -> None:
    """Workbench issue, item 11: page 99 of 5 showed an empty list."""
    page = site.browser("admin").get("/audit?page=99")
    assert page.status_code == 200 and "P1" in page.text

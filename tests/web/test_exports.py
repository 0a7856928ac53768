"""XLSX downloads: within the viewer's units, and holding no formula (trust issue, item 6)."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import update
from tests.web.conftest import Site

from ansinh.store.models import Household, Person, Unit

LINK = '=HYPERLINK("http://evil.example/","Bấm vào")'


def _cells(content: bytes) -> list[object]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    return [cell.value for cell in cells]


def test_no_export_holds_a_live_formula(site: Site) -> None:
    with site.engine.begin() as connection:
        connection.execute(
            update(Person)
            .where(Person.code == "P5")
            .values(full_name=LINK, name_folded="hyperlink")
        )
        connection.execute(update(Household).values(address="+cmd|' /C calc'!A0"))
        connection.execute(update(Unit).where(Unit.level == "village").values(name="@SUM(1+1)"))
    inspector = site.browser("inspector")
    inspector.get("/lang/en")
    exports = {
        "households": "/export/households.xlsx?commune=04456",
        "search": "/export/search.xlsx?q=hyperlink",
        "units": "/export/units/04465.xlsx",
    }
    admin = site.browser("admin")
    for name, url in exports.items():
        answer = admin.get(url)
        assert answer.status_code == 200, name
        _cells(answer.content)
    assert "'" + LINK in _cells(admin.get(exports["search"]).content)
    assert "'+cmd|' /C calc'!A0" in _cells(admin.get(exports["households"]).content)
    assert "'@SUM(1+1)" in _cells(admin.get(exports["units"]).content)
    # The audit log holds what was written; its export keeps that text inert too.
    site.browser("officer")
    audit = _cells(inspector.get("/export/audit.xlsx").content)
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in audit)

"""Workbooks written part by part, to build what no spreadsheet program writes: bombs."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
PACKAGE = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONS}"><Relationship '
    f'Id="rId1" Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}">'
    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_PARTS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONS}"><Relationship '
    f'Id="rId1" Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
    f'Id="rId2" Type="{DOCUMENT}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def sheet(rows: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    namespace = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {namespace}><{p}sheetData>'
        f"{rows}</{p}sheetData></{p}worksheet>"
    )


def shared(strings: list[str], claimed: int | None = None) -> str:
    count = len(strings) if claimed is None else claimed
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" '
        f'uniqueCount="{count}">{items}</sst>'
    )


def cells(rows: list[list[str]], prefix: str = "", references: bool = True) -> str:
    """Rows of shared-string cells; each value is an index into the shared strings."""
    p = f"{prefix}:" if prefix else ""
    out = []
    for r, row in enumerate(rows, start=1):
        row_cells = "".join(
            f'<{p}c{_reference(c, r) if references else ""} t="s"><{p}v>{v}</{p}v></{p}c>'
            for c, v in enumerate(row)
        )
        out.append(f'<{p}row r="{r}">{row_cells}</{p}row>')
    return "".join(out)


def _reference(column: int, row: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f' r="{letters}{row}"'


def workbook(path: Path, sheet_xml: str, shared_xml: str, extra: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_PARTS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", shared_xml)
        for n in range(extra):
            archive.writestr(f"xl/media/part{n}.bin", b"")
    return path

"""Any list as an XLSX download: a header row in the viewer's language, then the rows."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import Response

from ansinh.io.cells import workbook, write_text_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


def workbook_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    bold = book.add_format({"bold": True})
    page = book.add_worksheet(sheet[:31])
    write_text_row(page, 0, 0, header, bold)
    page.freeze_panes(1, 0)
    for index, row in enumerate(rows, start=1):
        if index > MAX_ROWS:
            break
        write_text_row(page, index, 0, ["" if v is None else v for v in row])
    page.autofit()
    book.close()
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> Response:
    return Response(
        content,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

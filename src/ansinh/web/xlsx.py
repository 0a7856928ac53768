"""Any list as an XLSX download: a header row in the viewer's language, then the rows."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import Any

from fastapi.responses import Response

from ansinh.io.cells import workbook, write_text_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
# Columns are as wide as the header and the first rows need: xlsxwriter's autofit measured
# every cell, a third of writing a quarter of a million rows.
FITTED_ROWS = 1_000
MAX_WIDTH = 60


def workbook_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    bold = book.add_format({"bold": True})
    page = book.add_worksheet(sheet[:31])
    write_text_row(page, 0, 0, header, bold)
    page.freeze_panes(1, 0)
    widths = [len(str(name)) for name in header]
    for index, row in enumerate(rows, start=1):
        if index > MAX_ROWS:
            break
        values = ["" if v is None else v for v in row]
        if index <= FITTED_ROWS:
            sizes = [len(str(v)) for v in values]
            widths = [max(w, n) for w, n in zip_longest(widths, sizes, fillvalue=0)]
        write_text_row(page, index, 0, values)
    for column, width in enumerate(widths):
        page.set_column(column, column, min(width, MAX_WIDTH) + 2)
    book.close()
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> Response:
    return Response(
        content,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

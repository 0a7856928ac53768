"""The public lists of a commune's review as files: CSV (the contract), XLSX and an A4 PDF for
the village notice board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output
from ansinh.io.pdf_fonts import BOLD, FONT, fonts_for
from ansinh.io.xlsx_lists import ListSheet, write_lists

TITLES = {
    "poor": "DANH SÁCH HỘ NGHÈO",
    "near_poor": "DANH SÁCH HỘ CẬN NGHÈO",
    "exited_poverty": "DANH SÁCH HỘ THOÁT NGHÈO",
    "exited_near_poverty": "DANH SÁCH HỘ THOÁT CẬN NGHÈO",
}
SUFFIXES = (".csv", ".xlsx", ".pdf")
SHEET_HEADER = ("STT", "Thôn", "Họ tên chủ hộ")


def write_posting(
    lists: pl.DataFrame, target: Path, commune: str, year: int, draft: bool = True
) -> None:
    """Write the lists to `target` by its suffix, whole or not at all."""
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(
            str(target), "Tệp phải là .csv, .xlsx hoặc .pdf", "The file must be .csv, .xlsx or .pdf"
        )
    heading = f"{commune.upper()} · NĂM {year}" + (" · DỰ THẢO (chưa họp thôn)" if draft else "")
    with atomic_output(target) as tmp:
        if suffix == ".csv":
            cells.write_csv(lists, tmp)
        elif suffix == ".xlsx":
            _xlsx(lists, tmp, heading)
        else:
            _pdf(lists, tmp, heading)


def _groups(lists: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    return [(s, lists.filter(pl.col("status") == s)) for s in TITLES]


def _xlsx(lists: pl.DataFrame, path: Path, heading: str) -> None:
    sheets = [
        ListSheet(
            status,
            TITLES[status],
            heading,
            SHEET_HEADER,
            rows.select("village", "head_name"),
            widths=(6, 30, 30),
        )
        for status, rows in _groups(lists)
    ]
    write_lists(path, sheets)


def _pdf(lists: pl.DataFrame, path: Path, heading: str) -> None:
    from fpdf import FPDF

    if not FONT.exists() or not BOLD.exists():
        raise InputError.single(
            str(path),
            "Cần phông DejaVu (gói fonts-dejavu-core) để in PDF",
            "A PDF needs the DejaVu fonts (package fonts-dejavu-core)",
        )
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)  # the rows break pages themselves, the header repeated
    texts = lists.select(pl.col("village", "head_name").fill_null("").str.join(""))
    regular, bold = fonts_for(heading + "".join(TITLES.values()) + "".join(texts.row(0)) + MORE)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    for status, rows in _groups(lists):
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 14)
        pdf.cell(0, 10, TITLES[status], new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT", align="C")
        _villages(pdf, rows.with_columns(pl.col("village", "head_name").fill_null("")))
    pdf.output(str(path))


# The printed list is posted village by village (each village's households under its name, as
# the village meeting read them), so a row is its number and the head's name: number, head's
# name, a blank column for notes (mm). Text and lines drawn straight, not fpdf's table nor a
# cell a row: those measure and lay out every cell (1 ms, then 0.1 ms a row: minutes for a
# province's lists); this is about 20 µs a row.
ROW_MM = 7.0
PAD_MM = 1.5
WIDTHS_MM = (14.0, 118.0, 50.0)
HEADER = ("STT", "Họ tên chủ hộ", "Ghi chú")
NO_VILLAGE = "Chưa rõ thôn"
MORE = f" (tiếp theo) hộ {NO_VILLAGE}"
WIDEST_MM = 3.5  # DejaVu Sans's widest letter (W) at 10 pt: a text of fewer always fits


def _villages(pdf: Any, rows: pl.DataFrame) -> None:
    """Each village's band, then its households numbered from 1; a village cut by a page has
    its band again on the next, "(tiếp theo)"."""
    page = _Page(pdf)
    for (village,), households in rows.group_by("village", maintain_order=True):
        name = str(village) or NO_VILLAGE
        count = f"{households.height:,}".replace(",", ".")  # 1.234: Vietnamese thousands
        page.band(f"{name} ({count} hộ)")
        for number, head in enumerate(households["head_name"], start=1):
            page.row(number, head, f"{name} (tiếp theo)")
    page.close()


class _Page:
    """The rows of one list on its pages: a header on each page, a village's band across the
    columns, lines drawn as they go (the columns' lines a stretch of rows at a time)."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.edges = [pdf.l_margin + sum(WIDTHS_MM[:i]) for i in range(len(WIDTHS_MM) + 1)]
        self.digit = pdf.get_string_width("0")  # DejaVu's digits share a width: right-aligned
        self.top = self.y = _header(pdf)

    def _room(self, then_band: str | None) -> None:
        if self.y + ROW_MM <= self.pdf.h - self.pdf.b_margin:
            return
        self.close()
        self.pdf.add_page()
        self.top = self.y = _header(self.pdf)
        if then_band is not None:
            self.band(then_band)

    def band(self, text: str) -> None:
        self._room(None)
        self.close()
        for x in (self.edges[0], self.edges[-1]):
            self.pdf.line(x, self.y, x, self.y + ROW_MM)
        self.pdf.set_font("DejaVu", "B", 10)
        _fitted(self.pdf, self.edges[0] + PAD_MM, self.y + ROW_MM - 2.0, text, sum(WIDTHS_MM))
        self.pdf.set_font("DejaVu", "", 10)
        self._next()
        self.top = self.y

    def row(self, number: int, head: str, band_after_break: str) -> None:
        self._room(band_after_break)
        base = self.y + ROW_MM - 2.0
        text = str(number)
        self.pdf.text(self.edges[1] - PAD_MM - self.digit * len(text), base, text)
        _fitted(self.pdf, self.edges[1] + PAD_MM, base, head, WIDTHS_MM[1] - 2 * PAD_MM)
        self._next()

    def _next(self) -> None:
        self.y += ROW_MM
        self.pdf.line(self.edges[0], self.y, self.edges[-1], self.y)

    def close(self) -> None:
        """The columns' lines of the rows since the last band or the header."""
        if self.y > self.top:
            for x in self.edges:
                self.pdf.line(x, self.top, x, self.y)


def _fitted(pdf: Any, x: float, y: float, text: str, width: float) -> None:
    """The text at (x, y), in a smaller size if it would cross its column. Only a long text is
    measured (one of up to width / WIDEST_MM letters always fits at 10 pt)."""
    if len(text) * WIDEST_MM > width and pdf.get_string_width(text) > width:
        pdf.set_font_size(max(5.0, 10 * width / pdf.get_string_width(text)))
        pdf.text(x, y, text)
        pdf.set_font_size(10)
        return
    pdf.text(x, y, text)


def _header(pdf: Any) -> float:
    """The header row at the current line; where the rows start."""
    pdf.set_font("DejaVu", "B", 10)
    for width, text in zip(WIDTHS_MM, HEADER, strict=True):
        pdf.cell(width, ROW_MM, text, border=1, align="C")
    pdf.ln(ROW_MM)
    pdf.set_font("DejaVu", "", 10)
    return float(pdf.get_y())

"""The public lists of a commune's review as files: CSV (the contract), XLSX and an A4 PDF for
the village notice board."""

from __future__ import annotations

import tempfile
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


def prepare_pdf() -> None:
    """A process's first PDF costs most (fpdf's modules loaded, the fonts cut and parsed: about
    1 s): paid here, while the process waits for its lists."""
    with tempfile.TemporaryDirectory() as folder:
        empty = pl.DataFrame(schema=dict.fromkeys(("village", "head_name", "status"), pl.String))
        _pdf(empty, Path(folder) / "first.pdf", "")


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
# province's lists). fpdf's text() then encodes a name a letter at a time (48 µs a row with its
# number and line, 8 s of a province's 10); a row is written as one piece of the page's content
# instead, its texts encoded by one str.translate from each letter as the font encodes it.
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
    page = _Page(pdf, rows["head_name"])
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

    def __init__(self, pdf: Any, names: pl.Series) -> None:
        self.pdf = pdf
        self.edges = [pdf.l_margin + sum(WIDTHS_MM[:i]) for i in range(len(WIDTHS_MM) + 1)]
        self.digit = pdf.get_string_width("0")  # DejaVu's digits share a width: right-aligned
        self.top = self.y = _header(pdf)
        self.glyphs = _glyphs(pdf, "0123456789" + "".join(names))

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
        x = self.edges[1] - PAD_MM - self.digit * len(text)
        width = WIDTHS_MM[1] - 2 * PAD_MM
        if self.pdf.current_font_is_set_on_page and len(head) * WIDEST_MM <= width:
            self._written(x, base, text, head)
            return
        # the page's first row sets its font; a long name may need a smaller size
        self.pdf.text(x, base, text)
        _fitted(self.pdf, self.edges[1] + PAD_MM, base, head, width)
        self._next()

    def _written(self, x: float, base: float, number: str, head: str) -> None:
        """The row as fpdf's text() and line() would write it, in one piece."""
        k, height, glyphs = self.pdf.k, self.pdf.h, self.glyphs
        y = (height - base) * k
        self.y += ROW_MM
        line = (height - self.y) * k
        self.pdf._out(
            f"BT {x * k:.2f} {y:.2f} Td ({number.translate(glyphs)}) Tj ET "
            f"BT {(self.edges[1] + PAD_MM) * k:.2f} {y:.2f} Td ({head.translate(glyphs)}) Tj ET "
            f"{self.edges[0] * k:.2f} {line:.2f} m {self.edges[-1] * k:.2f} {line:.2f} l S"
        )

    def _next(self) -> None:
        self.y += ROW_MM
        self.pdf.line(self.edges[0], self.y, self.edges[-1], self.y)

    def close(self) -> None:
        """The columns' lines of the rows since the last band or the header."""
        if self.y > self.top:
            for x in self.edges:
                self.pdf.line(x, self.top, x, self.y)


def _glyphs(pdf: Any, texts: str) -> dict[int, str]:
    """Each letter of the texts as the current font writes it inside a PDF string (its glyph in
    the font's subset, escaped): what fpdf's encode_text does for a text, a letter at a time."""
    font = pdf.current_font
    return {ord(letter): font.encode_text(letter)[1:-4] for letter in set(texts)}


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
    """The header row at the current line, its labels centred in boxes (a cell a label laid
    out 0.4 ms of a page's 1.5 ms); where the rows start."""
    pdf.set_font("DejaVu", "B", 10)
    x, top = pdf.l_margin, pdf.get_y()
    for width, text in zip(WIDTHS_MM, HEADER, strict=True):
        pdf.rect(x, top, width, ROW_MM)
        pdf.text(x + (width - pdf.get_string_width(text)) / 2, top + ROW_MM - 2.0, text)
        x += width
    pdf.set_font("DejaVu", "", 10)
    pdf.set_xy(pdf.l_margin, top + ROW_MM)
    return float(top + ROW_MM)

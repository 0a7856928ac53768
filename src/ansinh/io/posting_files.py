"""The public lists of a commune's review as files: CSV (the contract), XLSX and an A4 PDF for
the village notice board."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output

TITLES = {
    "poor": "DANH SÁCH HỘ NGHÈO",
    "near_poor": "DANH SÁCH HỘ CẬN NGHÈO",
    "exited_poverty": "DANH SÁCH HỘ THOÁT NGHÈO",
    "exited_near_poverty": "DANH SÁCH HỘ THOÁT CẬN NGHÈO",
}
# Debian's DejaVu (package fonts-dejavu-core) has every Vietnamese letter.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SUFFIXES = (".csv", ".xlsx", ".pdf")


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
    book = cells.workbook(path)
    bold = book.add_format({"bold": True})
    for status, rows in _groups(lists):
        sheet = book.add_worksheet(status[:31])
        sheet.set_paper(9)
        cells.write_text_row(sheet, 0, 0, [TITLES[status]], bold)
        cells.write_text_row(sheet, 1, 0, [heading])
        cells.write_text_row(sheet, 3, 0, ["STT", "Thôn", "Họ tên chủ hộ"], bold)
        for number, (village, head) in enumerate(
            rows.select("village", "head_name").iter_rows(), start=1
        ):
            sheet.write_number(3 + number, 0, number)
            cells.write_text_row(sheet, 3 + number, 1, [village or "", head or ""])
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 2, 30)
    book.close()


def _pdf(lists: pl.DataFrame, path: Path, heading: str) -> None:
    from fpdf import FPDF

    if not FONT.exists() or not BOLD.exists():
        raise InputError.single(
            str(path),
            "Cần phông DejaVu (gói fonts-dejavu-core) để in PDF",
            "A PDF needs the DejaVu fonts (package fonts-dejavu-core)",
        )
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(BOLD))
    for status, rows in _groups(lists):
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 14)
        pdf.cell(0, 10, TITLES[status], new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT", align="C")
        with pdf.table(col_widths=(12, 70, 100), text_align=("RIGHT", "LEFT", "LEFT")) as table:
            table.row(["STT", "Thôn", "Họ tên chủ hộ"])
            for number, (village, head) in enumerate(
                rows.select("village", "head_name").iter_rows(), start=1
            ):
                table.row([str(number), village or "", head or ""])
    pdf.output(str(path))

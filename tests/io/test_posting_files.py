"""The printed lists: an A4 PDF whose rows break pages with the header repeated, printed with
DejaVu cut to the letters Vietnamese needs (or the whole font for any other letter)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from ansinh.io.pdf_fonts import BOLD, FONT, fonts_for
from ansinh.io.posting_files import write_posting


def test_a_long_list_breaks_pages(tmp_path: Path) -> None:
    rows = pl.DataFrame(
        {
            "village": ["Thôn Nậm Chày"] * 90,
            "head_name": [f"Giàng Thị Mỷ {i}" for i in range(90)],
            "status": ["poor"] * 90,
        }
    )
    target = tmp_path / "niem-yet.pdf"
    write_posting(rows, target, "Xã Khao Mang", 2025, draft=False)
    pages = len(re.findall(rb"/Type /Page\b", target.read_bytes()))
    # 90 rows of 7 mm on A4 take three pages; each other list (empty) one page
    assert pages == 3 + 3


def test_the_cut_fonts_hold_vietnamese_and_other_letters_get_the_whole_font() -> None:
    cut = fonts_for("Nguyễn Thị Ượt, Thôn Đồng Tâm · Sùng A Dế")
    assert cut != (FONT, BOLD) and all(path.stat().st_size < FONT.stat().st_size for path in cut)
    assert fonts_for("Nguyễn 阮") == (FONT, BOLD)


def test_the_workbook_reads_back_in_openpyxl_with_its_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = pl.DataFrame(
        {
            "village": ["Thôn 1 & 2", None, "Thôn <3>"],
            "head_name": ["Giàng A Páo", "=HYPERLINK(1)", "Lý\x07 Thị Mai"],
            "status": ["poor", "poor", "near_poor"],
        }
    )
    target = tmp_path / "niem-yet.xlsx"
    write_posting(rows, target, "Xã Khao Mang", 2025, draft=True)
    book = load_workbook(target)
    assert book.sheetnames == ["poor", "near_poor", "exited_poverty", "exited_near_poverty"]
    poor = book["poor"]
    found = [tuple(r) for r in poor.iter_rows(values_only=True)]
    assert found[0][0] == "DANH SÁCH HỘ NGHÈO" and "DỰ THẢO" in found[1][0]
    assert found[3] == ("STT", "Thôn", "Họ tên chủ hộ")
    # numbered, escaped, never a formula (a quote before it), a bad XML character dropped
    assert found[4:] == [(1, "Thôn 1 & 2", "Giàng A Páo"), (2, "", "'=HYPERLINK(1)")]
    assert [tuple(r) for r in book["near_poor"].iter_rows(min_row=5, values_only=True)] == [
        (1, "Thôn <3>", "Lý Thị Mai")
    ]
    assert poor["A1"].font.b and poor["A4"].font.b and poor.page_setup.paperSize == 9
    assert book["exited_poverty"].max_row == 4  # an empty list keeps its title and header


def test_a_name_too_long_for_its_column_is_printed_smaller(tmp_path: Path) -> None:
    from fpdf import FPDF

    from ansinh.io.posting_files import _fitted

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    sizes: list[float] = []
    original = pdf.text

    def text(x: float, y: float, text: str) -> None:
        sizes.append(pdf.font_size_pt)
        original(x, y, text)

    pdf.text = text  # type: ignore[method-assign]
    _fitted(pdf, 10, 10, "Thôn 1", 67)
    _fitted(pdf, 10, 20, "W" * 24, 67)  # 84 mm at 10 pt
    assert sizes[0] == 10 and sizes[1] < 8.1 and pdf.font_size_pt == 10  # 84 → 67 mm


def test_households_are_listed_under_their_village_numbered_from_one(tmp_path: Path) -> None:
    rows = pl.DataFrame(
        {
            "village": ["Thôn Nậm Chày"] * 50 + ["Thôn 1, 2"] * 2 + [""],
            "head_name": [f"Giàng Thị Mỷ {i}" for i in range(52)] + ["Lý A (Sính)\\"],
            "status": ["poor"] * 53,
        }
    )
    target = tmp_path / "niem-yet.pdf"
    write_posting(rows, target, "Xã Khao Mang", 2025, draft=False)
    poor = _lines(target)[:2]  # the poor list's pages; the other lists are empty
    assert [line for line in poor[0] + poor[1] if line.startswith(("Thôn", "Chưa rõ"))] == [
        "Thôn Nậm Chày (50 hộ)",
        "Thôn Nậm Chày (tiếp theo)",  # a village cut by the page break has its band again
        "Thôn 1, 2 (2 hộ)",
        "Chưa rõ thôn (1 hộ)",
    ]
    assert poor[0][:4] == [
        "DANH SÁCH HỘ NGHÈO",
        "XÃ KHAO MANG · NĂM 2025",
        "STT Họ tên chủ hộ Ghi chú",
        "Thôn Nậm Chày (50 hộ)",
    ]
    assert poor[0][4:6] == ["1 Giàng Thị Mỷ 0", "2 Giàng Thị Mỷ 1"]
    assert poor[1][0] == "STT Họ tên chủ hộ Ghi chú"  # the header on every page
    after = poor[1][poor[1].index("Thôn 1, 2 (2 hộ)") + 1 :]
    # each village numbered from 1; brackets and a backslash printed as they are
    assert after == [
        "1 Giàng Thị Mỷ 50",
        "2 Giàng Thị Mỷ 51",
        "Chưa rõ thôn (1 hộ)",
        "1 Lý A (Sính)\\",
    ]
    assert sum(line[:1].isdigit() for page in poor for line in page) == 53


def _lines(pdf: Path) -> list[list[str]]:
    """Each page's text, a line a row (pypdf puts a row's texts on one line)."""
    from pypdf import PdfReader

    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in PdfReader(pdf).pages
    ]

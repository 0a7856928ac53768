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

"""No export runs a formula (trust issue, item 6): every XLSX and CSV writer goes through
io/cells.py, which writes text that would start a formula with a `'` before it (OWASP)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import polars as pl

from ansinh.io.cells import neutral, neutral_frame
from ansinh.io.report_export import write_csv, write_xlsx

SOURCE = Path(__file__).parents[2] / "src" / "ansinh"
LINK = '=HYPERLINK("http://evil.example/","Bấm vào")'
# Writers outside io/cells.py; synth/ writes the synthetic province's input files, not exports.
WRITERS = re.compile(r"(?<!cells)\.write_csv\(|xlsxwriter\.Workbook\(|\.write_row\(|csv\.writer\(")


def test_values_that_would_start_a_formula_get_a_quote() -> None:
    for value in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", LINK):
        assert neutral(value) == "'" + value
    for value in ("Giàng A Páo", "", "1-2", "a=b", 5, -5, None):
        assert neutral(value) == value
    frame = pl.DataFrame({"name": ["=1", "Mai", None], "count": [-1, 2, 3]})
    assert neutral_frame(frame).rows() == [("'=1", -1), ("Mai", 2), (None, 3)]


def test_every_writer_goes_through_the_one_place() -> None:
    found = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in SOURCE.rglob("*.py")
        # store/frames.py writes CSV only for PostgreSQL's COPY to read, never for a person.
        if path.name != "cells.py"
        and "synth" not in path.parts
        and path.relative_to(SOURCE).as_posix() != "store/frames.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRITERS.search(line)
    ]
    assert found == []


def test_report_files_hold_no_formula(tmp_path: Path) -> None:
    frame = pl.DataFrame({"unit_name": [LINK, "+cmd|' /C calc'!A0"], "households": [3, -4]})
    write_csv(tmp_path / "r.csv", frame)
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'+cmd" in text and ",-4" in text
    write_xlsx(tmp_path / "r.xlsx", frame, "=title", ["@note"])
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in values if cell.data_type == "f"]
    texts = {cell.value for cell in values}
    assert {"'=title", "'@note", "'" + LINK, -4} <= texts

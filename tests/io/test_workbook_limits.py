"""Workbooks measured before they are read (trust issue, item 4): a 2 KB file whose one cell
sits at XFD1048576, a shared-string table claiming a billion entries, or 13 KB whose cells all
use one long string ended the process (calamine aborts) or took gigabytes; each is now a clear
error, found whether the XML is plain (regular expressions) or not (the XML parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.io.workbooks import cells, shared, sheet, workbook

from ansinh.errors import InputError
from ansinh.io.limits import UPLOAD_LIMITS
from ansinh.io.tables import read_table

HEADER = [["0", "1"]]
STRINGS = ["person_id", "full_name", "P1", "Giàng A Páo"]

# Plain XML as spreadsheet programs write it, and the same with prefixed names (the parser's).
STYLES = [pytest.param("", True, id="plain"), pytest.param("x", True, id="prefixed")]


def _refused(path: Path) -> str:
    with pytest.raises(InputError) as error:
        read_table(path, limits=UPLOAD_LIMITS)
    problem = error.value.problems[0]
    assert problem.file == str(path)
    return problem.reason_en


@pytest.mark.parametrize(("prefix", "_"), STYLES)
def test_a_fair_workbook_reads(tmp_path: Path, prefix: str, _: bool) -> None:
    path = workbook(
        tmp_path / "ok.xlsx", sheet(cells([*HEADER, ["2", "3"]], prefix), prefix), shared(STRINGS)
    )
    frame = read_table(path, limits=UPLOAD_LIMITS)
    assert frame.select("person_id", "full_name").rows() == [("P1", "Giàng A Páo")]


@pytest.mark.parametrize(("prefix", "_"), STYLES)
def test_a_cell_far_away_is_refused(tmp_path: Path, prefix: str, _: bool) -> None:
    p = f"{prefix}:" if prefix else ""
    far = f'<{p}row r="1048576"><{p}c r="XFD1048576" t="s"><{p}v>0</{p}v></{p}c></{p}row>'
    path = workbook(
        tmp_path / "far.xlsx", sheet(cells(HEADER, prefix) + far, prefix), shared(STRINGS)
    )
    assert "16384 columns" in _refused(path)


def test_a_row_far_down_is_refused(tmp_path: Path) -> None:
    far = '<row r="1048576"><c r="E1048576" t="s"><v>0</v></c></row>'  # 5.2 million cells
    path = workbook(tmp_path / "down.xlsx", sheet(cells(HEADER) + far), shared(STRINGS))
    assert "too many cells" in _refused(path)


def test_cells_without_their_reference_are_counted(tmp_path: Path) -> None:
    wide = cells([["0"] * 300], references=False)
    path = workbook(tmp_path / "wide.xlsx", sheet(wide), shared(STRINGS))
    assert "columns; at most 256" in _refused(path)


def test_a_shared_string_table_claiming_a_billion_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "sst.xlsx", sheet(cells(HEADER)), shared(STRINGS, 10**9))
    assert "too many cells" in _refused(path)


@pytest.mark.parametrize(("prefix", "_"), STYLES)
def test_one_long_string_used_everywhere_is_refused(tmp_path: Path, prefix: str, _: bool) -> None:
    rows = [["0", "1"], *[["2"] * 200 for _ in range(1_000)]]
    path = workbook(
        tmp_path / "refs.xlsx", sheet(cells(rows, prefix), prefix), shared(["a", "b", "x" * 2_000])
    )
    assert path.stat().st_size < 1_000_000  # 400 MB of text once the string is put in
    assert "too much text" in _refused(path)


def test_a_workbook_that_unpacks_to_too_much_is_refused(tmp_path: Path) -> None:
    padding = "<!--" + " " * (UPLOAD_LIMITS.max_unpacked + 1) + "-->"
    path = workbook(tmp_path / "zip.xlsx", sheet(cells(HEADER) + padding), shared(STRINGS))
    assert path.stat().st_size < 1_000_000
    assert "unpacks to too much" in _refused(path)


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "parts.xlsx", sheet(cells(HEADER)), shared(STRINGS), extra=1_000)
    assert "too many parts" in _refused(path)


def test_a_damaged_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "Cannot read the workbook" in _refused(path)

"""Reading a CSV or XLSX table into a frame of text columns, with the file's own row numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl
from python_calamine import CalamineWorkbook

from ansinh.errors import InputError, Problem
from ansinh.io import checks
from ansinh.io.limits import FILE_LIMITS, Limits
from ansinh.io.workbook_limits import check_workbook
from ansinh.problems import ROW, problems

NUL_HEADER = ("Tên cột chứa ký tự NUL (mã 0)", "A column name holds a NUL character (code 0)")

XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
# Workbooks whose size is measured before they are read (zipped XML); the others (.xls, .ods)
# are read from the command line only.
MEASURED_SUFFIXES = {".xlsx", ".xlsm"}
UTF8_BLOCK = 1 << 24
# Rows of a CSV parsed at a time by `read_table_parts`. Polars parses a part or two ahead of
# the one given: 250,000 rows a part held 0.5 GB of a province's file at once.
PART_ROWS = 100_000


def read_table(
    path: Path | str, sheet: str | None = None, limits: Limits = FILE_LIMITS
) -> pl.DataFrame:
    """All columns as stripped text (empty cells as ""), plus `_row`; never a traceback.

    The file is measured against `limits` before it is parsed.
    """
    return pl.concat(read_table_parts(path, sheet, limits))


def read_table_parts(
    path: Path | str,
    sheet: str | None = None,
    limits: Limits = FILE_LIMITS,
    rows: int | None = None,
    *,
    measured: bool = False,
) -> Iterator[pl.DataFrame]:
    """The table of `read_table`, about `rows` rows at a time: a CSV is parsed as it is read,
    so that a whole province's file need not be held at once (a workbook is read whole).

    Every part is checked as `read_table` checks the whole; the first part comes only once the
    file as a whole has been measured (unless `measured`: by `csv_outline`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        _check_present(path, limits)
        if suffix in MEASURED_SUFFIXES:
            check_workbook(path, limits)
        parts = _parts_of(_read_workbook(path, sheet), rows or PART_ROWS)
    else:
        if not measured:
            csv_outline(path, limits)
        parts = _read_csv(path, rows or PART_ROWS)
    first = 2
    for raw in parts:
        part = _cleaned(path, raw, first)
        first += part.height
        yield part
    if first == 2:
        raise InputError.single(str(path), "Tệp không có dòng dữ liệu nào", "File has no data rows")


@dataclass(frozen=True)
class Outline:
    """A CSV file's column names and its number of lines (a row may span several)."""

    columns: list[str]
    lines: int


def csv_outline(path: Path | str, limits: Limits = FILE_LIMITS) -> Outline:
    """Measure a CSV file (present, within `limits`, UTF-8) and read its header alone."""
    path = Path(path)
    _check_present(path, limits)
    lines = _check_csv_file(path, limits)
    return Outline(_csv_header(path), lines)


def is_workbook(path: Path | str) -> bool:
    return Path(path).suffix.lower() in XLSX_SUFFIXES


def _check_present(path: Path, limits: Limits) -> None:
    if not path.is_file():
        raise InputError.single(str(path), "Không tìm thấy tệp", "File not found")
    if limits.max_bytes is not None and path.stat().st_size > limits.max_bytes:
        raise InputError.single(str(path), *limits.too_large())


def _parts_of(frame: pl.DataFrame, rows: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, rows):
        yield frame.slice(offset, rows)


def _cleaned(path: Path, part: pl.DataFrame, first: int) -> pl.DataFrame:
    """A part's cells stripped, empty ones as "", numbered from `first`; NUL refused."""
    # A column at a time: all at once held two copies of the table (550 MB more at the peak of
    # reading 3.9 million people).
    for name in part.columns:
        part = part.with_columns(pl.col(name).fill_null("").str.strip_chars())
    part = part.with_row_index(ROW, offset=first).with_columns(pl.col(ROW).cast(pl.Int64))
    nul = problems(str(path), checks.nul_cells(part))
    if nul or any("\x00" in name for name in part.columns):
        raise InputError(nul or [Problem(str(path), *NUL_HEADER, row=1)])
    return part


def _read_csv(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    header = _csv_header(path)
    try:
        batches = pl.scan_csv(path, infer_schema=False).collect_batches(chunk_size=rows)
        for batch in batches:
            batch.columns = header
            yield batch
    except pl.exceptions.PolarsError as error:
        raise InputError.single(
            str(path), f"Không đọc được tệp CSV: {error}", f"Cannot read the CSV file: {error}"
        ) from None


def _csv_header(path: Path) -> list[str]:
    try:
        names = pl.read_csv(path, infer_schema=False, n_rows=0).columns
    except pl.exceptions.PolarsError as error:
        raise InputError.single(
            str(path), f"Không đọc được tệp CSV: {error}", f"Cannot read the CSV file: {error}"
        ) from None
    return _column_names(path, names)


def _check_csv_file(path: Path, limits: Limits) -> int:
    """UTF-8, not empty, and within `limits`: read a block of lines at a time, never whole.
    Returns the number of lines."""
    lines, empty, first_line = 0, True, b""
    with path.open("rb") as file:
        for offset, block in _blocks(file):
            if offset == 0 and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]
            if offset == 0:
                end = block.find(b"\n")
                first_line = block[: end if end >= 0 else len(block)]
            try:
                str(block, "utf-8")
            except UnicodeDecodeError as error:
                raise InputError.single(
                    str(path),
                    "Tệp không phải UTF-8 (hãy lưu lại với mã hóa UTF-8)",
                    "File is not UTF-8 (save it again as UTF-8)",
                    row=lines + block[: error.start].count(b"\n") + 1,
                ) from None
            lines += block.count(b"\n")
            empty = empty and (not block or block.isspace())
    if empty:
        raise InputError.single(str(path), "Tệp rỗng", "File is empty")
    _check_csv_size(path, first_line, lines, limits)
    return lines


def _blocks(file: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The file's bytes, a block of about UTF8_BLOCK at a time, each ending after a newline
    (which is never inside a character), with its offset."""
    offset, rest = 0, b""
    while True:
        chunk = file.read(UTF8_BLOCK)
        if not chunk:
            if rest:
                yield offset, rest
            return
        block = rest + chunk
        end = block.rfind(b"\n") + 1
        if end == 0:
            rest = block
            continue
        yield offset, block[:end]
        offset += end
        rest = block[end:]


def _check_csv_size(path: Path, first_line: bytes, lines: int, limits: Limits) -> None:
    """Columns of the header, and cells (lines, quoted line breaks included, times columns)."""
    header = first_line.decode("utf-8", "replace")
    try:
        columns = len(next(csv.reader([header])))
    except (csv.Error, StopIteration):
        columns = header.count(",") + 1
    if columns > limits.max_columns:
        raise InputError.single(
            str(path),
            f"Tệp có {columns} cột; tối đa {limits.max_columns}",
            f"The file has {columns} columns; at most {limits.max_columns}",
            row=1,
        )
    if limits.max_cells is not None and lines * columns > limits.max_cells:
        raise InputError.single(
            str(path),
            f"Tệp có quá nhiều ô (tối đa {limits.max_cells:,})",
            f"The file has too many cells (at most {limits.max_cells:,})",
        )


def _read_workbook(path: Path, sheet: str | None) -> pl.DataFrame:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        name = sheet if sheet in names else names[0]
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several types for a damaged file
        raise InputError.single(
            str(path), f"Không đọc được tệp Excel: {error}", f"Cannot read the workbook: {error}"
        ) from None
    if not rows:
        raise InputError.single(str(path), "Trang tính rỗng", "The sheet is empty")
    header = _column_names(path, [_cell_text(cell) for cell in rows[0]])
    width = len(header)
    body = [[_cell_text(cell) for cell in row[:width]] for row in rows[1:]]
    body = [row + [""] * (width - len(row)) for row in body if any(row)]
    return pl.DataFrame(body, schema=[(h, pl.String) for h in header], orient="row")


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return str(cell.isoformat())[:10]
    return str(cell)


def _column_names(path: Path, names: list[str]) -> list[str]:
    """The header's names, stripped; two alike (as written or once stripped) are an error."""
    seen: set[str] = set()
    for name in names:
        stripped = name.strip()
        if stripped in seen or name.endswith("_duplicated_0"):
            raise InputError.single(
                str(path), f"Cột '{stripped}' lặp lại", f"Column '{stripped}' appears twice", row=1
            )
        seen.add(stripped)
    return [name.strip() for name in names]


def require_columns(path: Path | str, frame: pl.DataFrame, required: list[str]) -> None:
    missing_columns(path, frame.columns, required)


def missing_columns(path: Path | str, columns: list[str], required: list[str]) -> None:
    """Refuse a table whose header (`columns`) lacks any of `required`."""
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError.single(
            str(path),
            f"Thiếu cột bắt buộc: {', '.join(missing)}",
            f"Missing required column(s): {', '.join(missing)}",
            row=1,
            column=", ".join(missing),
        )

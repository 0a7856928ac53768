"""Reading a CSV or XLSX table into a frame of text columns, with the file's own row numbers."""

from __future__ import annotations

import csv
from pathlib import Path

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


def read_table(
    path: Path | str, sheet: str | None = None, limits: Limits = FILE_LIMITS
) -> pl.DataFrame:
    """All columns as stripped text (empty cells as ""), plus `_row`; never a traceback.

    The file is measured against `limits` before it is parsed.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError.single(str(path), "Không tìm thấy tệp", "File not found")
    if limits.max_bytes is not None and path.stat().st_size > limits.max_bytes:
        raise InputError.single(str(path), *limits.too_large())
    suffix = path.suffix.lower()
    if suffix in MEASURED_SUFFIXES:
        check_workbook(path, limits)
    is_workbook = suffix in XLSX_SUFFIXES
    frame = _read_workbook(path, sheet) if is_workbook else _read_csv(path, limits)
    if frame.height == 0:
        raise InputError.single(str(path), "Tệp không có dòng dữ liệu nào", "File has no data rows")
    # A column at a time: all at once held two copies of the table (550 MB more at the peak of
    # reading 3.9 million people).
    for name in frame.columns:
        frame = frame.with_columns(pl.col(name).fill_null("").str.strip_chars())
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    nul = problems(str(path), checks.nul_cells(frame))
    if nul or any("\x00" in name for name in frame.columns):
        raise InputError(nul or [Problem(str(path), *NUL_HEADER, row=1)])
    return frame


def _read_csv(path: Path, limits: Limits) -> pl.DataFrame:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    bad = _not_utf8_at(raw)
    if bad is not None:
        line = raw[:bad].count(b"\n") + 1
        raise InputError.single(
            str(path),
            "Tệp không phải UTF-8 (hãy lưu lại với mã hóa UTF-8)",
            "File is not UTF-8 (save it again as UTF-8)",
            row=line,
        ) from None
    if not raw or raw.isspace():  # not raw.strip(), a copy of the whole file
        raise InputError.single(str(path), "Tệp rỗng", "File is empty")
    _check_csv_size(path, raw, limits)
    try:
        frame = pl.read_csv(raw, infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise InputError.single(
            str(path), f"Không đọc được tệp CSV: {error}", f"Cannot read the CSV file: {error}"
        ) from None
    return _check_header(path, frame)


def _check_csv_size(path: Path, raw: bytes, limits: Limits) -> None:
    """Columns of the header, and cells (lines, quoted line breaks included, times columns)."""
    end = raw.find(b"\n")
    header = raw[: end if end >= 0 else len(raw)].decode("utf-8", "replace")
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
    if limits.max_cells is not None and raw.count(b"\n") * columns > limits.max_cells:
        raise InputError.single(
            str(path),
            f"Tệp có quá nhiều ô (tối đa {limits.max_cells:,})",
            f"The file has too many cells (at most {limits.max_cells:,})",
        )


def _not_utf8_at(raw: bytes) -> int | None:
    """The offset of the first byte that is not UTF-8, if any, checked a block of lines at a time.

    Decoding the whole file at once made a text twice its size (1.2 GB for a 670 MB file). A
    block ends after a newline, which is never inside a character.
    """
    view = memoryview(raw)
    start = 0
    while start < len(raw):
        end = raw.find(b"\n", start + UTF8_BLOCK)
        end = len(raw) if end < 0 else end + 1
        try:
            str(view[start:end], "utf-8")
        except UnicodeDecodeError as error:
            return start + error.start
        start = end
    return None


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


def _check_header(path: Path, frame: pl.DataFrame) -> pl.DataFrame:
    frame.columns = _column_names(path, frame.columns)
    return frame


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
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError.single(
            str(path),
            f"Thiếu cột bắt buộc: {', '.join(missing)}",
            f"Missing required column(s): {', '.join(missing)}",
            row=1,
            column=", ".join(missing),
        )

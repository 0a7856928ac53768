"""Cells written to a spreadsheet or a CSV file that no spreadsheet program runs as a formula.

Every writer of an XLSX or CSV file goes through here (a test holds it so). A text cell that
begins with = + - @ tab or carriage return is a formula to Excel and LibreOffice, in a CSV file
as in a workbook: a name imported as `=HYPERLINK("http://…","Bấm vào")` became a live link in
every export. As OWASP advises (CSV injection), such a value is written with a `'` before it;
workbooks are also told to take no string for a formula or a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import polars as pl
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS_PATTERN = "^[=+\\-@\t\r]"
# A string is text, never a formula, a link or a number.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def neutral(value: Any) -> Any:
    """The value as it may be written: text that would start a formula gets a `'` before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_row(values: Iterable[Any]) -> list[Any]:
    return [neutral(v) for v in values]


def neutral_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each text column's formula-like values neutralised, set-based."""
    text = [name for name, kind in frame.schema.items() if kind == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_STARTS_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_csv(frame: pl.DataFrame, target: Path | str | IO[bytes]) -> None:
    """The frame as UTF-8 CSV, its text neutralised."""
    neutral_frame(frame).write_csv(target)


def workbook(target: Path | str | IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """A new workbook whose strings stay text (write them with `write_text_row`)."""
    return xlsxwriter.Workbook(
        target if not isinstance(target, Path) else str(target), WORKBOOK_OPTIONS | options
    )


def write_text_row(sheet: Any, row: int, column: int, values: Sequence[Any], *style: Any) -> None:
    """One row of cells, neutralised, from `column` on."""
    sheet.write_row(row, column, neutral_row(values), *style)

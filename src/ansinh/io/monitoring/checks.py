"""Set-based checks shared by the monitoring files: years, dates, numbers, codes, duplicates."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ansinh.errors import InputError
from ansinh.io.checks import required
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import problems, where_explained

YEAR = r"^(19|20|21)\d{2}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
DECIMAL = r"^-?\d+(\.\d+)?$"


def read_checked(path: str, needed: list[str], optional: Sequence[str] = ()) -> pl.DataFrame:
    """The file's rows as text, with the needed columns present and optional ones filled ""."""
    frame = read_table(path)
    require_columns(path, frame, needed)
    missing = [c for c in optional if c not in frame.columns]
    return frame.with_columns(pl.lit("").alias(c) for c in missing)


def fail_on(file: str, found: list[pl.DataFrame]) -> None:
    bad = problems(file, found)
    if bad:
        raise InputError(bad)


def nonempty(frame: pl.DataFrame, columns: list[str]) -> list[pl.DataFrame]:
    return required(frame, columns)


def year(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    value = pl.col(column)
    return where_explained(
        frame,
        (value != "") & ~value.str.contains(YEAR),
        column,
        pl.format("Năm phải có dạng YYYY: '{}'", value),
        pl.format("Year must be YYYY: '{}'", value),
    )


def day(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    value = pl.col(column)
    parsed = value.str.to_date("%Y-%m-%d", strict=False)
    return where_explained(
        frame,
        (value != "") & (~value.str.contains(DATE) | parsed.is_null()),
        column,
        pl.format("Ngày không hợp lệ (cần YYYY-MM-DD): '{}'", value),
        pl.format("Invalid date (expected YYYY-MM-DD): '{}'", value),
    )


def number(frame: pl.DataFrame, column: str, *, negative: bool = True) -> pl.DataFrame:
    value = pl.col(column)
    bad = ~value.str.contains(DECIMAL)
    if not negative:
        bad = bad | value.str.starts_with("-")
    return where_explained(
        frame,
        (value != "") & bad,
        column,
        pl.format("Phải là số (dấu chấm thập phân, không phân cách nghìn): '{}'", value),
        pl.format("Must be a number (decimal point, no thousands separator): '{}'", value),
    )


def one_of(
    frame: pl.DataFrame, column: str, choices: Sequence[str], what_vi: str, what_en: str
) -> pl.DataFrame:
    value = pl.col(column)
    listed = ", ".join(choices)
    return where_explained(
        frame,
        (value != "") & ~value.is_in(list(choices)),
        column,
        pl.format("{} không có trong danh mục ({}): '{}'", pl.lit(what_vi), pl.lit(listed), value),
        pl.format("Unknown {} (known: {}): '{}'", pl.lit(what_en), pl.lit(listed), value),
    )


def repeated(frame: pl.DataFrame, keys: list[str], column: str) -> pl.DataFrame:
    """Rows whose combination of `keys` appears more than once."""
    named = ", ".join(keys)
    return where_explained(
        frame,
        pl.struct(keys).is_duplicated(),
        column,
        pl.lit(f"Trùng lặp ({named}) với dòng khác"),
        pl.lit(f"Duplicate ({named}) of another row"),
    )

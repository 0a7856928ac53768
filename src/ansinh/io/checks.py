"""Set-based checks of an input table's values: each returns the problem rows it finds."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ansinh.problems import where, where_explained


def required(frame: pl.DataFrame, columns: list[str]) -> list[pl.DataFrame]:
    return [
        where(frame, pl.col(c) == "", c, "Không được để trống", "Must not be empty")
        for c in columns
    ]


def nul_cells(frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Every cell holding a NUL character: stored as is by SQLite, refused by PostgreSQL."""
    text = [name for name, kind in frame.schema.items() if kind == pl.String]
    return [
        where(
            frame,
            pl.col(name).str.contains("\x00", literal=True),
            name,
            "Ô chứa ký tự NUL (mã 0)",
            "The cell holds a NUL character (code 0)",
        )
        for name in text
    ]


def too_long(frame: pl.DataFrame, lengths: Mapping[str, int]) -> list[pl.DataFrame]:
    """Cells longer than the registry keeps (the width of their column)."""
    return [
        where(
            frame,
            pl.col(name).str.len_chars() > most,
            name,
            f"Dài quá {most} ký tự",
            f"Longer than {most} characters",
        )
        for name, most in lengths.items()
        if name in frame.columns
    ]


def duplicated(frame: pl.DataFrame, column: str, what_vi: str, what_en: str) -> pl.DataFrame:
    """Every row of a non-empty value that appears more than once in the file."""
    value = pl.col(column)
    return where_explained(
        frame,
        (value != "") & value.is_duplicated(),
        column,
        pl.format("{} '{}' xuất hiện nhiều lần trong tệp", pl.lit(what_vi), value),
        pl.format("{} '{}' appears more than once in the file", pl.lit(what_en), value),
    )


def coded(
    frame: pl.DataFrame,
    column: str,
    lookup: Mapping[str, str],
    key: pl.Expr,
    what_vi: str,
    what_en: str,
) -> tuple[pl.Expr, pl.DataFrame]:
    """Map a column through a code list; unknown non-empty values are problems."""
    mapped = key.replace_strict(dict(lookup), default=None, return_dtype=pl.String)
    bad = where_explained(
        frame.with_columns(mapped.alias("_mapped")),
        (pl.col(column) != "") & pl.col("_mapped").is_null(),
        column,
        pl.format("{} không có trong danh mục: '{}'", pl.lit(what_vi), pl.col(column)),
        pl.format("{} not in the code list: '{}'", pl.lit(what_en), pl.col(column)),
    )
    return mapped, bad


def whole_number(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    value = pl.col(column)
    return where_explained(
        frame,
        (value != "") & ~value.str.contains(r"^\d{1,15}$"),
        column,
        pl.format("Phải là số nguyên không âm, không có dấu chấm hay phẩy: '{}'", value),
        pl.format("Must be a whole number ≥ 0, without separators: '{}'", value),
    )


def flag(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    value = pl.col(column)
    return where_explained(
        frame,
        ~value.is_in(["", "0", "1"]),
        column,
        pl.format("Phải là 1 hoặc 0: '{}'", value),
        pl.format("Must be 1 or 0: '{}'", value),
    )

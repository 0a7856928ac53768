"""Problems found set-based: a frame of (row, column, reason) rows, turned into Problem values."""

from __future__ import annotations

import polars as pl

from ansinh.errors import Problem

ROW = "_row"  # the file's row number, the header being row 1

# A problem frame has these columns; `problems()` turns it into Problem values.
PROBLEM_SCHEMA = {
    ROW: pl.Int64,
    "column": pl.String,
    "reason_vi": pl.String,
    "reason_en": pl.String,
}


def where(frame: pl.DataFrame, bad: pl.Expr, column: str, vi: str, en: str) -> pl.DataFrame:
    """The rows where `bad` holds, as problems in `column` with a fixed reason."""
    return where_explained(frame, bad, column, pl.lit(vi), pl.lit(en))


def where_explained(
    frame: pl.DataFrame, bad: pl.Expr, column: str, vi: pl.Expr, en: pl.Expr
) -> pl.DataFrame:
    """The rows where `bad` holds, with a reason computed from the row (e.g. naming its value)."""
    # Rechunked: on a frame of several chunks (a CSV of 500+ rows, read in parallel) `pl.format`
    # over the rows kept panicked (polars 2.1: "assertion failed: i < self.len()").
    return (
        frame.filter(bad.fill_null(False))
        .rechunk()
        .select(
            pl.col(ROW),
            pl.lit(column).alias("column"),
            vi.alias("reason_vi"),
            en.alias("reason_en"),
        )
    )


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def problems(file: str, frames: list[pl.DataFrame]) -> list[Problem]:
    """All problems found, in row order, as values the CLI and the web page can show."""
    if not frames:
        return []
    found = pl.concat([f.cast(PROBLEM_SCHEMA) for f in frames]).sort(ROW, "column")  # type: ignore[arg-type]
    return [
        Problem(file, vi, en, row, column)
        for row, column, vi, en in found.select(ROW, "column", "reason_vi", "reason_en").iter_rows()
    ]

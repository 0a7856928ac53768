"""`ansinh classify`: a households file classified under a standard, without a database."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.domain.names import fold_expr
from ansinh.domain.poverty import AREAS, PovertyStandard, classify_frame, deprived_column
from ansinh.domain.poverty.standard import AREA_WORDS
from ansinh.errors import InputError
from ansinh.io.cells import write_csv
from ansinh.io.checks import duplicated, flag, required, whole_number
from ansinh.io.files import atomic_output
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import ROW, problems, where_explained

OUTPUT_COLUMNS = ("household_id", "status", "deprivation_count", "deprived", "standard")
# Under a provisional standard every row says so: a what-if file must never pass for a result.
PROVISIONAL_COLUMN = "provisional"


def classify_file(path: Path, standard: PovertyStandard, output: Path) -> int:
    """Classify every household of `path` and write OUT.csv; returns the households written.

    Every bad cell is reported at once (file, row, column, reason); nothing is written then.
    Under a provisional standard a last column `provisional` holds `true` on every row.
    """
    frame = read_table(path)
    flags = [deprived_column(key) for key in standard.indicators]
    require_columns(path, frame, ["household_id", "area", "income_per_capita", *flags])
    typed = _typed(str(path), frame, flags)
    result = classify_frame(typed, standard).select(
        "household_id",
        "status",
        "deprivation_count",
        "deprived",
        pl.lit(standard.id).alias("standard"),
        *([pl.lit("true").alias(PROVISIONAL_COLUMN)] if standard.provisional else []),
    )
    with atomic_output(output) as tmp:
        write_csv(result, tmp)
    return result.height


def _typed(file: str, frame: pl.DataFrame, flags: list[str]) -> pl.DataFrame:
    """Columns checked and typed, or an InputError naming every bad cell."""
    area = fold_expr(pl.col("area")).replace_strict(
        AREA_WORDS, default=None, return_dtype=pl.String
    )
    frame = frame.with_columns(area.alias("_area"))
    found = [
        *required(frame, ["household_id", "area", "income_per_capita"]),
        duplicated(frame, "household_id", "Mã hộ", "Household id"),
        whole_number(frame, "income_per_capita"),
        where_explained(
            frame,
            (pl.col("area") != "") & pl.col("_area").is_null(),
            "area",
            pl.format("Khu vực phải là nông thôn/thành thị: '{}'", pl.col("area")),
            pl.format("Area must be {}: '{}'", pl.lit(" or ".join(AREAS)), pl.col("area")),
        ),
        *(flag(frame, column) for column in flags),
    ]
    bad = problems(file, found)
    if bad:
        raise InputError(bad)
    return frame.select(
        ROW,
        "household_id",
        pl.col("_area").alias("area"),
        pl.col("income_per_capita").cast(pl.Int64),
        *(pl.col(column).replace("", "0").cast(pl.Int8) for column in flags),
    )

"""EVALUATIONS (criteria met per commune) and RECOGNITIONS (NTM levels reached) files."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.domain.monitoring.ntm import (
    EVALUATION_SCHEMA,
    KINDS,
    LEVELS,
    RECOGNITION_SCHEMA,
    CriteriaSet,
)
from ansinh.io.checks import flag
from ansinh.io.monitoring.checks import fail_on, nonempty, one_of, read_checked, repeated, year
from ansinh.problems import ROW, where, where_explained

EVALUATION_COLUMNS = list(EVALUATION_SCHEMA)
RECOGNITION_COLUMNS = list(RECOGNITION_SCHEMA)


def read_evaluations(path: Path, criteria: CriteriaSet) -> pl.DataFrame:
    """Criterion results per commune and year; criteria outside the set are errors."""
    frame = read_checked(str(path), EVALUATION_COLUMNS)
    numbers = [str(n) for n in criteria.numbers()]
    found = [
        *nonempty(frame, EVALUATION_COLUMNS),
        year(frame, "year"),
        flag(frame, "met"),
        where_explained(
            frame,
            (pl.col("criterion") != "") & ~pl.col("criterion").is_in(numbers),
            "criterion",
            pl.format(
                "Tiêu chí phải từ 1 đến {} ({}): '{}'",
                pl.lit(len(numbers)),
                pl.lit(criteria.id),
                pl.col("criterion"),
            ),
            pl.format(
                "Criterion must be 1 to {} ({}): '{}'",
                pl.lit(len(numbers)),
                pl.lit(criteria.id),
                pl.col("criterion"),
            ),
        ),
        repeated(frame, ["commune_code", "year", "criterion"], "criterion"),
        where(
            frame,
            pl.col("parent_code").n_unique().over("commune_code", "year") > 1,
            "parent_code",
            "Một xã thuộc hai đơn vị cấp trên trong cùng một năm",
            "A commune has two parent units in the same year",
        ),
    ]
    fail_on(str(path), found)
    return frame.select(ROW, *(pl.col(c).cast(t) for c, t in EVALUATION_SCHEMA.items()))


def read_recognitions(path: Path) -> pl.DataFrame:
    """Units (communes, villages) and the NTM level each was recognised at, by year."""
    frame = read_checked(str(path), RECOGNITION_COLUMNS)
    found = [
        *nonempty(frame, ["unit_code", "parent_code", "kind", "level"]),
        one_of(frame, "kind", KINDS, "Loại đơn vị", "unit kind"),
        one_of(frame, "level", LEVELS, "Mức công nhận", "recognition level"),
        year(frame, "year"),
        where(
            frame,
            (pl.col("level") != "none") & (pl.col("level") != "") & (pl.col("year") == ""),
            "year",
            "Cần năm công nhận",
            "The year of recognition is needed",
        ),
        repeated(frame, ["unit_code", "level"], "level"),
    ]
    fail_on(str(path), found)
    return frame.select(
        ROW,
        *(pl.col(c) for c in ("unit_code", "parent_code", "kind", "level")),
        pl.col("year").replace("", None).cast(pl.Int32),
    )

"""EVALUATIONS (criteria met per commune) and RECOGNITIONS (NTM levels reached) files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from ansinh.domain.monitoring.ntm import (
    EVALUATION_SCHEMA,
    KINDS,
    LEVELS,
    RECOGNITION_SCHEMA,
    CriteriaSet,
)
from ansinh.errors import InputError
from ansinh.io.checks import flag
from ansinh.io.monitoring.checks import (
    YEAR,
    fail_on,
    nonempty,
    one_of,
    read_checked,
    repeated,
    year,
)
from ansinh.problems import ROW, where, where_explained

EVALUATION_COLUMNS = list(EVALUATION_SCHEMA)
RECOGNITION_COLUMNS = list(RECOGNITION_SCHEMA)


def read_evaluations(
    path: Path, criteria: CriteriaSet | Callable[[int], CriteriaSet]
) -> pl.DataFrame:
    """Criterion results per commune and year; criteria outside the set are errors.

    `criteria` is one set for every year, or the set in force for a year (catalog.criteria_set):
    each year's rows are then checked against the criteria of that year's set.
    """
    return check_evaluations(read_checked(str(path), EVALUATION_COLUMNS), str(path), criteria)


def check_evaluations(
    frame: pl.DataFrame, file: str, criteria: CriteriaSet | Callable[[int], CriteriaSet]
) -> pl.DataFrame:
    """Evaluation rows as text (with `_row`, from a file or a form), checked and typed."""
    dated = frame.filter(pl.col("year").str.contains(YEAR))
    sets, unknown = _sets_by_year(dated, criteria)
    found = [
        *nonempty(frame, EVALUATION_COLUMNS),
        unknown,
        _outside_set(dated, sets),
        year(frame, "year"),
        flag(frame, "met"),
        repeated(frame, ["commune_code", "year", "criterion"], "criterion"),
        where(
            frame,
            pl.col("parent_code").n_unique().over("commune_code", "year") > 1,
            "parent_code",
            "Một xã thuộc hai đơn vị cấp trên trong cùng một năm",
            "A commune has two parent units in the same year",
        ),
    ]
    fail_on(file, found)
    return frame.select(ROW, *(pl.col(c).cast(t) for c, t in EVALUATION_SCHEMA.items()))


def _sets_by_year(
    frame: pl.DataFrame, criteria: CriteriaSet | Callable[[int], CriteriaSet]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(year, set id, criterion, total) for each year's set, and rows of a year with no set."""
    rows, missing = [], []
    for text in frame["year"].unique().sort().to_list():
        try:
            chosen = criteria if isinstance(criteria, CriteriaSet) else criteria(int(text))
        except InputError:
            missing.append(text)
            continue
        rows += [(text, chosen.id, str(n), len(chosen.criteria)) for n in chosen.numbers()]
    sets = pl.DataFrame(
        rows,
        schema={"year": pl.String, "_set": pl.String, "criterion": pl.String, "_total": pl.Int64},
        orient="row",
    )
    unknown = where_explained(
        frame,
        pl.col("year").is_in(missing),
        "year",
        pl.format("Không có bộ tiêu chí NTM hiệu lực năm {}", pl.col("year")),
        pl.format("No NTM criteria set in force in {}", pl.col("year")),
    )
    return sets, unknown


def _outside_set(frame: pl.DataFrame, sets: pl.DataFrame) -> pl.DataFrame:
    """Rows whose criterion is not a number of their year's set."""
    totals = sets.group_by("year").agg(pl.col("_set").first(), pl.col("_total").first())
    joined = frame.join(totals, on="year", how="inner").join(
        sets.select("year", "criterion", pl.lit(True).alias("_known")),
        on=["year", "criterion"],
        how="left",
    )
    return where_explained(
        joined,
        pl.col("_known").is_null(),
        "criterion",
        pl.format("Tiêu chí phải từ 1 đến {} ({}): '{}'", "_total", "_set", "criterion"),
        pl.format("Criterion must be 1 to {} ({}): '{}'", "_total", "_set", "criterion"),
    )


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

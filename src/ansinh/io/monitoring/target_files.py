"""TARGETS and OBSERVATIONS files (domain/monitoring.md): read, checked, turned into values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import polars as pl

from ansinh.domain.monitoring.targets import COMPARATOR_NAMES, Observation, Target
from ansinh.io.monitoring.checks import (
    fail_on,
    nonempty,
    number,
    one_of,
    read_checked,
    repeated,
    year,
)
from ansinh.problems import where, where_explained

TARGET_REQUIRED = ["target_id", "target_value", "comparator", "deadline_year", "unit_code"]
TARGET_OPTIONAL = [
    "group",
    "name",
    "unit_of_measure",
    "baseline_value",
    "baseline_year",
    "tolerance",
    "indicator",
]
OBSERVATION_COLUMNS = ["target_id", "unit_code", "year", "value"]


def read_targets(path: Path) -> list[Target]:
    return [_target(row) for row in read_target_rows(path).iter_rows(named=True)]


def read_target_rows(path: Path, indicators: Sequence[str] | None = None) -> pl.DataFrame:
    """The checked rows as text, with `_row`; `indicators`, if given, are the names allowed in
    the optional `indicator` column (the registry's computed indicators)."""
    frame = read_checked(str(path), TARGET_REQUIRED, TARGET_OPTIONAL)
    found = [
        *nonempty(frame, TARGET_REQUIRED),
        one_of(frame, "comparator", list(COMPARATOR_NAMES), "Phép so sánh", "comparator"),
        number(frame, "target_value"),
        number(frame, "baseline_value"),
        number(frame, "tolerance", negative=False),
        year(frame, "deadline_year"),
        year(frame, "baseline_year"),
        repeated(frame, ["target_id", "unit_code"], "target_id"),
        where(
            frame,
            (pl.col("baseline_value") == "") != (pl.col("baseline_year") == ""),
            "baseline_year",
            "Giá trị và năm cơ sở phải cùng có hoặc cùng trống",
            "baseline_value and baseline_year must both be given or both be empty",
        ),
        where(
            frame,
            (pl.col("comparator") == "about") & (pl.col("tolerance") == ""),
            "tolerance",
            "Phép 'about' cần sai số cho phép",
            "The 'about' comparator needs a tolerance",
        ),
    ]
    fail_on(str(path), found)
    late = where_explained(
        frame.filter(pl.col("baseline_year") != ""),
        pl.col("baseline_year").cast(pl.Int32) >= pl.col("deadline_year").cast(pl.Int32),
        "baseline_year",
        pl.lit("Năm cơ sở phải trước năm hạn"),
        pl.lit("baseline_year must be before deadline_year"),
    )
    fail_on(str(path), [late])
    if indicators is not None:
        named = one_of(frame, "indicator", indicators, "Chỉ số", "indicator")
        fail_on(str(path), [named])
    return frame


def _target(row: dict[str, str]) -> Target:
    return Target(
        target_id=row["target_id"],
        group=row["group"],
        name=row["name"],
        unit_of_measure=row["unit_of_measure"],
        baseline_value=Decimal(row["baseline_value"]) if row["baseline_value"] else None,
        baseline_year=int(row["baseline_year"]) if row["baseline_year"] else None,
        target_value=Decimal(row["target_value"]),
        comparator=COMPARATOR_NAMES[row["comparator"]],
        tolerance=Decimal(row["tolerance"] or "0"),
        deadline_year=int(row["deadline_year"]),
        unit_code=row["unit_code"],
    )


def read_observations(path: Path, targets: list[Target]) -> list[Observation]:
    frame = read_observation_rows(path, sorted({t.target_id for t in targets}))
    return [
        Observation(t, u, int(y), Decimal(v))
        for t, u, y, v in frame.select(OBSERVATION_COLUMNS).iter_rows()
    ]


def read_observation_rows(path: Path, known: Sequence[str]) -> pl.DataFrame:
    """The checked rows as text, with `_row`; every target named must be among `known`."""
    frame = read_checked(str(path), OBSERVATION_COLUMNS)
    found = [
        *nonempty(frame, OBSERVATION_COLUMNS),
        year(frame, "year"),
        number(frame, "value"),
        repeated(frame, ["target_id", "unit_code", "year"], "year"),
        where_explained(
            frame,
            (pl.col("target_id") != "") & ~pl.col("target_id").is_in(list(known)),
            "target_id",
            pl.format("Chưa có mục tiêu này (tệp mục tiêu, sổ đăng ký): '{}'", pl.col("target_id")),
            pl.format("Unknown target (targets file, registry): '{}'", pl.col("target_id")),
        ),
    ]
    fail_on(str(path), found)
    return frame

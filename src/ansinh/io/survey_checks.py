"""Checks and normalisation of a review questionnaire table (one row per household and date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl
import yaml

from ansinh.domain.names import fold_expr
from ansinh.io import checks
from ansinh.problems import where, where_explained
from ansinh.store.models import SURVEY_INDICATORS

REQUIRED = ["household_id", "year", "area", "income_per_capita"]
AREAS = {"rural": "rural", "urban": "urban", "nong thon": "rural", "thanh thi": "urban"}
INDICATOR_COLUMNS = [f"deprived_{key}" for key in SURVEY_INDICATORS]


@lru_cache(maxsize=1)
def review_calendar() -> dict[str, Any]:
    text = resources.files("ansinh.data.review").joinpath("calendar.yaml").read_text("utf-8")
    calendar: dict[str, Any] = yaml.safe_load(text)
    return calendar


@dataclass(frozen=True)
class CheckedSurveys:
    surveys: pl.DataFrame
    problems: list[pl.DataFrame]


def check_survey_rows(
    frame: pl.DataFrame, required_indicators: dict[int, list[str]], today: date
) -> CheckedSurveys:
    """The checks each row passes or fails on its own, and its values typed: a part of a file
    is checked as the whole would be. `required_indicators` maps a year to the indicator keys
    of the standard in force then."""
    found = checks.required(frame, REQUIRED)
    found += checks.nul_cells(frame)
    frame = frame.with_columns(
        pl.lit("").alias(c) for c in ["survey_date", *INDICATOR_COLUMNS] if c not in frame.columns
    )
    found.append(_year(frame, today))
    frame = frame.with_columns(pl.col("year").cast(pl.Int32, strict=False))
    area, bad_area = checks.coded(
        frame, "area", AREAS, fold_expr(pl.col("area")), "Khu vực", "Area"
    )
    found.append(bad_area)
    found.append(checks.whole_number(frame, "income_per_capita"))
    found += [checks.flag(frame, c) for c in INDICATOR_COLUMNS]
    found += _missing_answers(frame, required_indicators)
    frame, bad_dates = _survey_dates(frame, today)
    found += bad_dates
    frame = frame.with_columns(
        area.alias("area"),
        pl.col("income_per_capita").cast(pl.Int64, strict=False),
        *[pl.col(c).replace("", None).cast(pl.Int16, strict=False) for c in INDICATOR_COLUMNS],
    )
    return CheckedSurveys(frame, found)


def check_surveys_across(surveys: pl.DataFrame, households: pl.Series) -> list[pl.DataFrame]:
    """The checks of the whole file's rows as checked: against one another, and against the
    registry's `households` (one lookup for the file, not one a part)."""
    return [
        _unknown_household(surveys, households),
        where_explained(
            surveys,
            pl.struct("household_id", "survey_date").is_duplicated(),
            "household_id",
            pl.format("Hộ '{}' có hai phiếu cùng ngày", pl.col("household_id")),
            pl.format(
                "Household '{}' has two questionnaires on the same date", pl.col("household_id")
            ),
        ),
    ]


def unknown_columns(frame: pl.DataFrame) -> list[pl.DataFrame]:
    # A deprived_ column that names no indicator is a typo that would silently drop answers.
    unknown = [c for c in frame.columns if c.startswith("deprived_") and c not in INDICATOR_COLUMNS]
    return [
        where(
            frame.head(1).with_columns(pl.lit(1, pl.Int64).alias("_row")),
            pl.lit(True),
            column,
            "Cột chỉ số không có trong danh mục chỉ số thiếu hụt",
            "This column names no known deprivation indicator",
        )
        for column in unknown
    ]


def _year(frame: pl.DataFrame, today: date) -> pl.DataFrame:
    year = pl.col("year").cast(pl.Int32, strict=False)
    return where_explained(
        frame,
        (pl.col("year") != "") & (year.is_null() | (year < 2016) | (year > today.year)),
        "year",
        pl.format("Năm rà soát không hợp lệ: '{}'", pl.col("year")),
        pl.format("Invalid review year: '{}'", pl.col("year")),
    )


def _unknown_household(frame: pl.DataFrame, households: pl.Series) -> pl.DataFrame:
    code = pl.col("household_id")
    return where_explained(
        frame,
        (code != "") & ~code.is_in(households.implode()),
        "household_id",
        pl.format("Hộ '{}' chưa có trong sổ hộ (hãy nhập hộ trước)", code),
        pl.format("Household '{}' is not in the registry (import it first)", code),
    )


def _missing_answers(
    frame: pl.DataFrame, required_indicators: dict[int, list[str]]
) -> list[pl.DataFrame]:
    found = []
    for year, keys in required_indicators.items():
        for key in keys:
            column = f"deprived_{key}"
            found.append(
                where(
                    frame,
                    (pl.col("year") == year) & (pl.col(column) == ""),
                    column,
                    f"Thiếu câu trả lời cho chỉ số của chuẩn áp dụng năm {year}",
                    f"Missing answer for an indicator of the standard in force in {year}",
                )
            )
    return found


def _survey_dates(frame: pl.DataFrame, today: date) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    default = review_calendar()["default_survey_date"]
    given = pl.col("survey_date").str.to_date("%Y-%m-%d", strict=False)
    fallback = pl.format("{}-{}", pl.col("year"), pl.lit(default)).str.to_date(strict=False)
    frame = frame.with_columns(
        pl.when(pl.col("survey_date") == "").then(fallback).otherwise(given).alias("_date")
    )
    text = pl.col("survey_date")
    bad = where_explained(
        frame,
        (text != "")
        & (
            pl.col("_date").is_null()
            | (pl.col("_date").dt.year() != pl.col("year"))
            | (pl.col("_date") > pl.lit(today))
        ),
        "survey_date",
        pl.format("Ngày rà soát không hợp lệ, ở tương lai hoặc khác năm rà soát: '{}'", text),
        pl.format("Survey date invalid, in the future or outside the review year: '{}'", text),
    )
    return frame.with_columns(pl.col("_date").alias("survey_date")).drop("_date"), [bad]

"""Benefit decisions as a file: who is granted which category from which month, or until when."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources

import polars as pl
import yaml

from ansinh.domain.benefits.claims import check_claims, month_of
from ansinh.domain.benefits.rules import Rules
from ansinh.problems import ROW, where, where_explained

REQUIRED = ["person_id", "programme", "category", "decision_no", "decision_date", "start_month"]
OPTIONAL = ["end_month", "end_reason", "injury_rate", "children"]
DECISION_SCHEMA = {
    ROW: pl.Int64,
    "person_id": pl.String,
    "programme": pl.String,
    "category": pl.String,
    "decision_no": pl.String,
    "decision_date": pl.Date,
    "start_month": pl.Date,
    "end_month": pl.Date,
    "end_reason": pl.String,
    "injury_rate": pl.Int32,
    "children": pl.Int32,
}


@lru_cache(maxsize=1)
def end_reasons() -> dict[str, tuple[str, str]]:
    text = (
        resources.files("ansinh")
        .joinpath("data", "benefits", "end_reasons.yaml")
        .read_text("utf-8")
    )
    return {r["code"]: (r["name_vi"], r["name_en"]) for r in yaml.safe_load(text)["reasons"]}


def check_decisions(
    frame: pl.DataFrame, births: pl.DataFrame, rules: Rules, today: date
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """The typed decisions and the problems of the text rows in `frame`.

    `births` has person_id and birth_date of the people the caller may decide for; anyone else
    is "not in your units", whether the registry holds them or not.
    """
    frame = frame.with_columns(pl.lit("").alias(c) for c in OPTIONAL if c not in frame.columns)
    frame = frame.join(births, on="person_id", how="left").with_columns(
        pl.col("birth_date").fill_null("")
    )
    starts = month_of(pl.col("start_month"))
    first = frame.select(starts.min()).item() or today.replace(day=1)
    _, found = check_claims(frame, rules, first, max(first, today.replace(day=1)))
    found += [
        where(frame, pl.col(c) == "", c, "Thiếu giá trị bắt buộc", "Required value missing")
        for c in ("decision_no", "decision_date")
    ]
    known = pl.col("_known").is_not_null()
    flagged = frame.join(
        births.select("person_id", pl.lit(True).alias("_known")), on="person_id", how="left"
    )
    day = pl.col("decision_date").str.to_date("%Y-%m-%d", strict=False)
    found += [
        where(
            flagged,
            (pl.col("person_id") != "") & ~known,
            "person_id",
            "Không có người này trong sổ của đơn vị bạn",
            "No such person in the registry of your units",
        ),
        where_explained(
            frame,
            (pl.col("decision_date") != "") & (day.is_null() | (day > pl.lit(today))),
            "decision_date",
            pl.format(
                "Ngày quyết định không hợp lệ hoặc ở tương lai: '{}'", pl.col("decision_date")
            ),
            pl.format("Invalid or future decision date: '{}'", pl.col("decision_date")),
        ),
        where_explained(
            frame,
            (pl.col("end_reason") != "") & ~pl.col("end_reason").is_in(list(end_reasons())),
            "end_reason",
            pl.format("Lý do thôi hưởng không có trong danh mục: '{}'", pl.col("end_reason")),
            pl.format("Unknown reason: '{}'", pl.col("end_reason")),
        ),
        where(
            frame,
            (pl.col("end_month") != "") & (pl.col("end_reason") == ""),
            "end_reason",
            "Thôi hưởng cần lý do",
            "An end month needs a reason",
        ),
        where(
            frame,
            (pl.col("end_month") == "") & (pl.col("end_reason") != ""),
            "end_month",
            "Lý do thôi hưởng cần tháng cuối",
            "A reason needs the last month",
        ),
    ]
    typed = frame.select(
        ROW,
        "person_id",
        "programme",
        "category",
        "decision_no",
        day.alias("decision_date"),
        month_of(pl.col("start_month")).alias("start_month"),
        month_of(pl.col("end_month")).alias("end_month"),
        pl.col("end_reason").replace("", None),
        pl.col("injury_rate").cast(pl.Int32, strict=False),
        pl.col("children").cast(pl.Int32, strict=False),
    )
    return typed.cast(DECISION_SCHEMA), found  # type: ignore[arg-type]

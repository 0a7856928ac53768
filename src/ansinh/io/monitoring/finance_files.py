"""PLANS and DISBURSEMENTS files (DESIGN.md, programme capital): read, checked and typed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import (
    CAPITAL_TYPES,
    DISBURSEMENT_SCHEMA,
    PLAN_KEY,
    PLAN_SCHEMA,
)
from ansinh.io.checks import whole_number
from ansinh.io.monitoring.checks import day, fail_on, nonempty, one_of, read_checked, year
from ansinh.problems import ROW, where_explained

PLAN_COLUMNS = ["programme", "capital_type", "plan_year", "source_year", "unit_code", "amount_vnd"]
DISBURSEMENT_COLUMNS = ["programme", "capital_type", "plan_year", "unit_code", "date", "amount_vnd"]


def read_plans(path: Path, programmes: Sequence[str]) -> pl.DataFrame:
    """Plan lines; every bad cell is reported at once (file, row, column, reason)."""
    frame = read_checked(str(path), PLAN_COLUMNS, ["project"])
    found = [
        *nonempty(frame, PLAN_COLUMNS),
        *_coded(frame, programmes),
        year(frame, "plan_year"),
        year(frame, "source_year"),
        whole_number(frame, "amount_vnd"),
    ]
    fail_on(str(path), found)
    later = where_explained(
        frame,
        pl.col("source_year").cast(pl.Int32) > pl.col("plan_year").cast(pl.Int32),
        "source_year",
        pl.lit("Năm nguồn vốn sau năm kế hoạch"),
        pl.lit("source_year is after plan_year"),
    )
    fail_on(str(path), [later, _out_of_force(frame)])
    return frame.select(ROW, *(pl.col(c).cast(t) for c, t in PLAN_SCHEMA.items()))


def _out_of_force(frame: pl.DataFrame) -> pl.DataFrame:
    """Plan lines whose allocation year lies outside their programme's validity.

    A programme that ended (the three of 2021–2025, merged into ntp-2026-2035 by Resolution
    257/2025/QH15) may still hold capital carried over from its own years; a new allocation
    (source_year after its end) goes to the programme that replaced it.
    """
    terms = pl.DataFrame(
        [
            (
                p.code,
                p.valid_from.year,
                p.valid_to.year if p.valid_to else 9999,
                p.replaced_by or "",
            )
            for p in catalog.programmes()
        ],
        schema={"programme": pl.String, "_first": pl.Int32, "_last": pl.Int32, "_next": pl.String},
        orient="row",
    )
    lines = frame.join(terms, on="programme", how="inner").with_columns(
        pl.col("source_year").cast(pl.Int32).alias("_source")
    )
    instead_vi = pl.when(pl.col("_next") != "").then(pl.format(", thay bằng {}", "_next"))
    instead_en = pl.when(pl.col("_next") != "").then(pl.format(", replaced by {}", "_next"))
    ended = where_explained(
        lines,
        pl.col("_source") > pl.col("_last"),
        "source_year",
        pl.format(
            "Chương trình {} kết thúc năm {}{}: kế hoạch năm {} chỉ ghi được vốn chuyển nguồn "
            "(năm nguồn vốn từ {} trở về trước)",
            "programme", "_last", instead_vi.otherwise(pl.lit("")), "plan_year", "_last",
        ),
        pl.format(
            "Programme {} ended in {}{}: a {} plan line under it may only be capital carried "
            "over (source_year {} or earlier)",
            "programme", "_last", instead_en.otherwise(pl.lit("")), "plan_year", "_last",
        ),
    )  # fmt: skip
    early = where_explained(
        lines,
        pl.col("_source") < pl.col("_first"),
        "source_year",
        pl.format("Chương trình {} bắt đầu từ năm {}", "programme", "_first"),
        pl.format("Programme {} starts in {}", "programme", "_first"),
    )
    return pl.concat([ended, early])


def read_disbursements(path: Path, programmes: Sequence[str], plans: pl.DataFrame) -> pl.DataFrame:
    """Disbursements, checked against the plans: each needs a plan line and may not exceed it."""
    frame = read_checked(str(path), DISBURSEMENT_COLUMNS, ["project"])
    return check_disbursements(frame, str(path), programmes, plans)


def check_disbursements(
    frame: pl.DataFrame, file: str, programmes: Sequence[str], plans: pl.DataFrame
) -> pl.DataFrame:
    """Disbursement rows as text (with `_row`, from a file or a form), checked and typed."""
    found = [
        *nonempty(frame, DISBURSEMENT_COLUMNS),
        *_coded(frame, programmes),
        year(frame, "plan_year"),
        day(frame, "date"),
        whole_number(frame, "amount_vnd"),
    ]
    fail_on(file, found)
    typed = frame.select(
        ROW,
        *(pl.col(c).cast(t) for c, t in DISBURSEMENT_SCHEMA.items() if c != "date"),
        pl.col("date").str.to_date("%Y-%m-%d"),
    )
    fail_on(file, _against_plans(typed, plans))
    return typed


def _coded(frame: pl.DataFrame, programmes: Sequence[str]) -> list[pl.DataFrame]:
    return [
        one_of(frame, "programme", programmes, "Chương trình", "programme"),
        one_of(frame, "capital_type", CAPITAL_TYPES, "Loại vốn", "capital type"),
    ]


def _against_plans(disbursements: pl.DataFrame, plans: pl.DataFrame) -> list[pl.DataFrame]:
    """Disbursements with no plan line, and the row where a key's total first exceeds its plan."""
    planned = plans.group_by(PLAN_KEY).agg(pl.col("amount_vnd").sum().alias("_plan"))
    joined = (
        disbursements.join(planned, on=PLAN_KEY, how="left")
        .sort("date", ROW)
        .with_columns(pl.col("amount_vnd").cum_sum().over(PLAN_KEY).alias("_so_far"))
    )
    key = pl.format("{}/{}/{}/{}", *(pl.col(c).cast(pl.String) for c in PLAN_KEY[:4]))
    no_plan = where_explained(
        joined,
        pl.col("_plan").is_null(),
        "programme",
        pl.format("Không có dòng kế hoạch cho {} trong tệp kế hoạch", key),
        pl.format("No plan line for {} in the plans file", key),
    )
    over = (pl.col("_so_far") > pl.col("_plan")) & (
        pl.col("_so_far") - pl.col("amount_vnd") <= pl.col("_plan")
    )
    above = where_explained(
        joined,
        over,
        "amount_vnd",
        pl.format("Lũy kế giải ngân {} vượt kế hoạch {} của {}", "_so_far", "_plan", key),
        pl.format("Cumulative disbursement {} exceeds the plan {} for {}", "_so_far", "_plan", key),
    )
    return [no_plan, above]

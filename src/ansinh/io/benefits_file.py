"""`ansinh benefits calc`: monthly amounts owed from a file of beneficiaries, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from ansinh.domain.benefits.arrears import arrears
from ansinh.domain.benefits.claims import MONTH, check_claims, month_of
from ansinh.domain.benefits.entitlements import entitlements
from ansinh.domain.benefits.rules import Rules
from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import problems, where, where_explained

BENEFICIARY_REQUIRED = ["person_id", "programme", "category", "start_month"]
PAID_COLUMNS = ["person_id", "month", "programme", "amount_paid"]
OUT_COLUMNS = ["person_id", "month", "programme", "category", "base", "coefficient", "amount"]
ARREARS_COLUMNS = ["person_id", "month", "programme", "due", "paid", "balance"]


@dataclass(frozen=True)
class CalcResult:
    rows: int
    amount: int
    arrears_rows: int = 0
    balance: int = 0


def parse_month(text: str, what: str) -> date:
    """A `--from`/`--to` month as its first day, or a clear error naming the option."""
    if not pl.Series([text]).str.contains(MONTH).item():
        raise InputError.single(
            what, f"Tháng không hợp lệ (YYYY-MM): '{text}'", f"Invalid month (YYYY-MM): '{text}'"
        )
    return date(int(text[:4]), int(text[5:7]), 1)


def calc_file(
    beneficiaries: Path,
    first: date,
    last: date,
    output: Path,
    rules: Rules,
    paid: Path | None = None,
    arrears_output: Path | None = None,
) -> CalcResult:
    """Check every input whole, compute, then write the outputs; nothing written on error."""
    if last < first:
        raise InputError.single("--to", "Tháng cuối trước tháng đầu", "--to is before --from")
    frame = read_table(beneficiaries)
    require_columns(beneficiaries, frame, BENEFICIARY_REQUIRED)
    claims, found = check_claims(frame, rules, first, last)
    _raise(beneficiaries, found)
    due = entitlements(claims, rules, first, last)
    paid_rows = _paid(paid, claims, rules, first, last) if paid is not None else None
    with atomic_output(output) as tmp:
        cells.write_csv(_as_file(due).select(OUT_COLUMNS), tmp)
    result = CalcResult(due.height, int(due["amount"].sum() or 0))
    if paid_rows is not None and arrears_output is not None:
        balance = arrears(due, paid_rows)
        with atomic_output(arrears_output) as tmp:
            rows = balance.with_columns(pl.col("month").dt.strftime("%Y-%m"))
            cells.write_csv(rows.select(ARREARS_COLUMNS), tmp)
        result = CalcResult(
            result.rows, result.amount, balance.height, int(balance["balance"].sum() or 0)
        )
    return result


def _as_file(due: pl.DataFrame) -> pl.DataFrame:
    """Months as YYYY-MM, the base in whole VND (empty for a programme of fixed amounts)."""
    return due.with_columns(
        pl.col("month").dt.strftime("%Y-%m"),
        pl.col("base").round(0).cast(pl.Int64),
        pl.col("coefficient").round(4),
    )


def _paid(path: Path, claims: pl.DataFrame, rules: Rules, first: date, last: date) -> pl.DataFrame:
    """PAID.csv checked whole: months, amounts, programmes, and only people with a claim."""
    frame = read_table(path)
    require_columns(path, frame, PAID_COLUMNS)
    typed = frame.with_columns(
        month_of(pl.col("month")).alias("_month"),
        pl.col("amount_paid").cast(pl.Int64, strict=False).alias("_amount"),
    )
    claimed = (
        claims.select("person_id", "programme")
        .unique()
        .with_columns(pl.lit(True).alias("_claimed"))
    )
    typed = typed.join(claimed, on=["person_id", "programme"], how="left")
    found = [
        where(
            typed,
            pl.col("_month").is_null(),
            "month",
            "Tháng không hợp lệ (YYYY-MM)",
            "Invalid month (YYYY-MM)",
        ),
        where(
            typed,
            pl.col("_amount").is_null() | (pl.col("_amount") < 0),
            "amount_paid",
            "Số tiền phải là số nguyên đồng ≥ 0",
            "The amount must be whole VND ≥ 0",
        ),
        where_explained(
            typed,
            ~pl.col("programme").is_in(list(rules.programmes)),
            "programme",
            pl.format("Chương trình không có: '{}'", pl.col("programme")),
            pl.format("Unknown programme: '{}'", pl.col("programme")),
        ),
        where(
            typed,
            pl.col("_claimed").is_null() & pl.col("programme").is_in(list(rules.programmes)),
            "person_id",
            "Khoản chi cho người không có quyết định hưởng chương trình này",
            "A payment to someone with no entitlement to this programme",
        ),
    ]
    _raise(path, found)
    return typed.filter(pl.col("_month").is_between(first, last)).select(
        "person_id",
        pl.col("_month").alias("month"),
        "programme",
        pl.col("_amount").alias("amount_paid"),
    )


def _raise(path: Path, found: list[pl.DataFrame]) -> None:
    listed = problems(str(path), [f for f in found if f.height])
    if listed:
        raise InputError(listed)

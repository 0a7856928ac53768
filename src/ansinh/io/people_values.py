"""People values read leniently: what can be read is read, the rest is nulled, each a finding.

Lists from other agencies are dirty (issue 18). A value `ansinh dedupe --strict` would refuse
is, without `--strict`, a finding (row, column, reason) and the value is made what linkage can
trust: a date written dd/mm/yyyy (the Vietnamese way) is read as that day; an ID number with
spaces or dots is read as its digits; a value that still cannot be read (an ID of 11 digits or
with a letter, 31/02/1990, a sex of 'X') is left empty, so that linkage compares nothing
rather than something wrong. Names in capitals or with stray spaces are kept as typed (linkage
folds case and spaces) and reported, since a list typed that way is worth telling its owner.
"""

from __future__ import annotations

import polars as pl

from ansinh.domain.names import fold_expr
from ansinh.problems import ROW, where_explained

SEX_VALUES = ["m", "f", "nam", "nu", "male", "female"]
_ISO = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DMY = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"


def lenient(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The frame with unreadable values made readable or empty, and the findings (problems)."""
    text = pl.col("birth_date")
    dmy = text.str.extract_groups(_DMY)
    as_iso = pl.format(
        "{}-{}-{}",
        dmy.struct.field("3"),
        dmy.struct.field("2").str.zfill(2),
        dmy.struct.field("1").str.zfill(2),
    )
    read_date = pl.when(text.str.contains(_DMY)).then(as_iso).otherwise(text)
    digits = pl.col("citizen_id").str.replace_all(r"[\s.\-]", "")
    frame = frame.with_columns(read_date.alias("_date"), digits.alias("_id"))
    findings = [
        where_explained(
            frame,
            text.str.contains(_DMY) & _valid_date(pl.col("_date")),
            "birth_date",
            pl.format("Ngày sinh viết dd/mm/yyyy '{}': đọc là {}", text, pl.col("_date")),
            pl.format("Birth date written dd/mm/yyyy '{}': read as {}", text, pl.col("_date")),
        ),
        where_explained(
            frame,
            (text != "") & ~_valid_date(pl.col("_date")),
            "birth_date",
            pl.format("Ngày sinh không đọc được '{}': bỏ qua khi so sánh", text),
            pl.format("Birth date cannot be read '{}': left out of the comparison", text),
        ),
        where_explained(
            frame,
            (pl.col("citizen_id") != pl.col("_id")) & _valid_id(pl.col("_id")),
            "citizen_id",
            pl.format("Số định danh có dấu cách hoặc dấu chấm: đọc là {}", pl.col("_id")),
            pl.format("ID number with spaces or dots: read as {}", pl.col("_id")),
        ),
        where_explained(
            frame,
            (pl.col("_id") != "") & ~_valid_id(pl.col("_id")),
            "citizen_id",
            pl.format(
                "Số định danh phải có 12 chữ số (hoặc CMND 9 chữ số), có {} chữ số{}: bỏ qua "
                "khi so sánh",
                _digit_count(),
                pl.when(_has_other()).then(pl.lit(" và ký tự khác")).otherwise(pl.lit("")),
            ),
            pl.format(
                "ID number must have 12 digits (or 9 for an old card), has {} digits{}: left "
                "out of the comparison",
                _digit_count(),
                pl.when(_has_other()).then(pl.lit(" and other characters")).otherwise(pl.lit("")),
            ),
        ),
        where_explained(
            frame,
            (pl.col("sex") != "") & ~fold_expr(pl.col("sex")).is_in(SEX_VALUES),
            "sex",
            pl.format("Giới tính không đọc được '{}': bỏ qua khi so sánh", pl.col("sex")),
            pl.format("Sex cannot be read '{}': left out of the comparison", pl.col("sex")),
        ),
        *_name_findings(frame),
    ]
    cleaned = frame.with_columns(
        pl.when(_valid_date(pl.col("_date"))).then(pl.col("_date")).otherwise(pl.lit(""))
        .alias("birth_date"),
        pl.when(_valid_id(pl.col("_id"))).then(pl.col("_id")).otherwise(pl.lit(""))
        .alias("citizen_id"),
        pl.when(fold_expr(pl.col("sex")).is_in(SEX_VALUES)).then(pl.col("sex"))
        .otherwise(pl.lit("")).alias("sex"),
    ).drop("_date", "_id")  # fmt: skip
    found = pl.concat(findings).sort(ROW, "column") if findings else pl.DataFrame()
    return cleaned, found


def _name_findings(frame: pl.DataFrame) -> list[pl.DataFrame]:
    name = pl.col("full_name")
    letters = name.str.replace_all(r"[^\p{L}]", "")
    return [
        where_explained(
            frame,
            name.str.contains(r"\s{2,}"),
            "full_name",
            pl.lit("Họ tên có dấu cách thừa: so sánh không kể dấu cách"),
            pl.lit("Name with stray spaces: compared without them"),
        ),
        where_explained(
            frame,
            (letters.str.len_chars() > 1) & (letters == letters.str.to_uppercase()),
            "full_name",
            pl.lit("Họ tên viết toàn chữ hoa: so sánh không kể chữ hoa"),
            pl.lit("Name all in capitals: compared regardless of case"),
        ),
    ]


def _valid_date(text: pl.Expr) -> pl.Expr:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real month and day, not in the future."""
    parts = text.str.extract_groups(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
    month = parts.struct.field("2").cast(pl.Int32, strict=False)
    day = parts.struct.field("3").cast(pl.Int32, strict=False)
    real_day = (
        pl.when(day.is_null())
        .then(True)
        .otherwise(text.str.to_date("%Y-%m-%d", strict=False).is_not_null())
    )
    real_month = month.is_between(1, 12) | month.is_null()
    return (text != "") & text.str.contains(_ISO) & real_month & real_day


def _digit_count() -> pl.Expr:
    return pl.col("_id").str.count_matches(r"\d")


def _has_other() -> pl.Expr:
    return pl.col("_id").str.contains(r"\D")


def _valid_id(digits: pl.Expr) -> pl.Expr:
    return digits.str.contains(r"^(\d{9}|\d{12})$")

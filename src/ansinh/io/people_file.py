"""The people file of `ansinh dedupe` (DESIGN.md contract) in, PAIRS.csv and CLUSTERS.csv out."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.domain.names import fold_expr
from ansinh.errors import InputError, Problem
from ansinh.io import cells, checks
from ansinh.io.cells import write_csv
from ansinh.io.files import atomic_output
from ansinh.io.people_values import lenient
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import ROW, problems, where, where_explained

REQUIRED = ["person_id", "full_name"]
OPTIONAL = ["household_id", "birth_date", "sex", "citizen_id", "commune_code", "address", "source"]
SEX_VALUES = ["m", "f", "nam", "nu", "male", "female"]
PAIRS_COLUMNS = ["person_id_l", "person_id_r", "match_probability"]
CLUSTERS_COLUMNS = ["person_id", "cluster_id"]


def read_people(path: Path | str) -> pl.DataFrame:
    """The contract's columns as text (missing optional ones empty), extra columns kept.

    Raises InputError listing every bad row: file, row (header = 1), column and reason.
    """
    frame = _read(path)
    found = [*_keys(frame), _birth_date(frame), _sex(frame), _citizen_id(frame)]
    listed = problems(str(path), found)
    if listed:
        raise InputError(listed)
    return frame.drop(ROW)


def read_people_leniently(path: Path | str) -> tuple[pl.DataFrame, list[Problem]]:
    """The people file with values that cannot be trusted made empty, and the findings.

    Only what makes the output meaningless still raises InputError: a missing required column,
    an empty or repeated person_id. A full_name left empty is a finding (the ID may still link).
    """
    frame = _read(path)
    listed = problems(str(path), [checks.duplicated(frame, "person_id", "Mã người", "Person id")])
    listed += problems(str(path), checks.required(frame, ["person_id"]))
    if listed:
        raise InputError(listed)
    cleaned, found = lenient(frame)
    empty_names = checks.required(frame, ["full_name"])
    return cleaned.drop(ROW), problems(str(path), [found, *empty_names])


def write_warnings(path: Path | str, findings: list[Problem]) -> None:
    """file,row,column,reason (Vietnamese / English), one finding a line; written whole."""
    frame = pl.DataFrame(
        {
            "file": [p.file for p in findings],
            "row": [p.row for p in findings],
            "column": [p.column or "" for p in findings],
            "reason": [f"{p.reason_vi} / {p.reason_en}" for p in findings],
        },
        schema={"file": pl.String, "row": pl.Int64, "column": pl.String, "reason": pl.String},
    )
    with atomic_output(path) as tmp:
        cells.write_csv(frame, tmp)


def warnings_beside(pairs: Path) -> Path:
    """The default findings file: PAIRS's name with .warnings.csv, in PAIRS's folder."""
    return pairs.with_name(pairs.stem + ".warnings.csv")


def _read(path: Path | str) -> pl.DataFrame:
    frame = read_table(path)
    require_columns(path, frame, REQUIRED)
    return frame.with_columns(pl.lit("").alias(c) for c in OPTIONAL if c not in frame.columns)


def _keys(frame: pl.DataFrame) -> list[pl.DataFrame]:
    found = checks.required(frame, REQUIRED)
    found.append(checks.duplicated(frame, "person_id", "Mã người", "Person id"))
    return found


def _birth_date(frame: pl.DataFrame) -> pl.DataFrame:
    text = pl.col("birth_date")
    parts = text.str.extract_groups(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
    month = parts.struct.field("2").cast(pl.Int32, strict=False)
    day = parts.struct.field("3").cast(pl.Int32, strict=False)
    shaped = text.str.contains(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    padded = pl.when(day.is_null()).then(None).otherwise(text)
    valid_day = padded.str.to_date("%Y-%m-%d", strict=False).is_not_null() | day.is_null()
    valid_month = month.is_between(1, 12) | month.is_null()
    return where_explained(
        frame,
        (text != "") & ~(shaped & valid_month & valid_day),
        "birth_date",
        pl.format("Ngày sinh phải là YYYY-MM-DD, YYYY-MM hoặc YYYY: '{}'", text),
        pl.format("Birth date must be YYYY-MM-DD, YYYY-MM or YYYY: '{}'", text),
    )


def _sex(frame: pl.DataFrame) -> pl.DataFrame:
    value = pl.col("sex")
    return where_explained(
        frame,
        (value != "") & ~fold_expr(value).is_in(SEX_VALUES),
        "sex",
        pl.format("Giới tính phải là M/F hoặc Nam/Nữ: '{}'", value),
        pl.format("Sex must be M/F or Nam/Nữ: '{}'", value),
    )


def _citizen_id(frame: pl.DataFrame) -> pl.DataFrame:
    value = pl.col("citizen_id")
    return where(
        frame,
        (value != "") & ~value.str.contains(r"^(\d{9}|\d{12})$"),
        "citizen_id",
        "Số định danh phải có 12 chữ số (hoặc CMND cũ 9 chữ số)",
        "Citizen ID must have 12 digits (or 9 for an old ID card)",
    )


def write_pairs(path: Path | str, pairs: pl.DataFrame) -> None:
    """person_id_l,person_id_r,match_probability; written whole or not at all."""
    with atomic_output(path) as tmp:
        pairs.select(
            pl.col("person_id_l").cast(pl.String),
            pl.col("person_id_r").cast(pl.String),
            pl.col("match_probability").round(6),
        ).pipe(write_csv, tmp)


def write_clusters(path: Path | str, clusters: pl.DataFrame) -> None:
    """person_id,cluster_id for every input person; written whole or not at all."""
    with atomic_output(path) as tmp:
        clusters.select(
            pl.col("person_id").cast(pl.String), pl.col("cluster_id").cast(pl.String)
        ).pipe(write_csv, tmp)

"""A what-if as files: CSV by commune, or XLSX with the communes and the households that
change; under a provisional standard every file says so."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.domain.poverty.whatif import COUNTS, MEASURES, WhatIf
from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output

CHANGE_COLUMNS = ("code", "unit_code", "unit_name", "status_base", "status_other")


def by_commune(result: WhatIf, names: dict[str, str]) -> pl.DataFrame:
    """The communes then the total (unit_code '*'), named, with both standards' ids."""
    frame = result.by_unit.with_columns(
        pl.col("unit_code")
        .replace_strict(names | {"*": "Tổng / total"}, default="")
        .alias("unit_name"),
        pl.lit(result.base.id).alias("standard_base"),
        pl.lit(result.other.id).alias("standard_other"),
    ).select("unit_code", "unit_name", *COUNTS, *MEASURES, "standard_base", "standard_other")
    if result.provisional:
        frame = frame.with_columns(pl.lit("true").alias("provisional"))
    return frame


def changes(result: WhatIf, names: dict[str, str]) -> pl.DataFrame:
    return (
        result.changes.with_columns(
            pl.col("unit_code").replace_strict(names, default="").alias("unit_name")
        )
        .select(CHANGE_COLUMNS)
        .sort("unit_code", "code")
    )


def heading(result: WhatIf, year: int, unit_name: str) -> list[str]:
    lines = [
        f"So sánh chuẩn nghèo / what-if, {unit_name}, {year}: {result.base.id} → {result.other.id}"
    ]
    for standard in (result.base, result.other):
        if standard.provisional:
            lines.append(
                f"{standard.id}: CHUẨN TẠM THỜI, CHỈ ĐỂ SO SÁNH / PROVISIONAL STANDARD, "
                "for comparison only"
            )
    if result.not_surveyed:
        lines.append(
            "Chỉ số chưa có trong phiếu, tính là không thiếu hụt / not in the questionnaires, "
            f"counted as not deprived: {', '.join(result.not_surveyed)}"
        )
    return lines


def write_whatif(
    result: WhatIf, names: dict[str, str], year: int, unit_name: str, target: Path
) -> None:
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError.single(str(target), "Tệp phải là .csv hoặc .xlsx", "Use .csv or .xlsx")
    with atomic_output(target) as tmp:
        if suffix == ".csv":
            cells.write_csv(by_commune(result, names), tmp)
            return
        book = cells.workbook(tmp)
        bold = book.add_format({"bold": True})
        for name, frame in (
            ("communes", by_commune(result, names)),
            ("changes", changes(result, names)),
        ):
            sheet = book.add_worksheet(name)
            lines = heading(result, year, unit_name)
            for row, line in enumerate(lines):
                cells.write_text_row(sheet, row, 0, [line], bold)
            top = len(lines) + 1
            cells.write_text_row(sheet, top, 0, frame.columns, bold)
            for row, values in enumerate(frame.iter_rows(), start=top + 1):
                cells.write_text_row(sheet, row, 0, values)
        book.close()

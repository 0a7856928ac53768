"""Writing reports as CSV or as an XLSX sheet that names the standard it used."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from ansinh.io import cells
from ansinh.io.files import atomic_output

HEADINGS_VI = {
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "level": "Cấp",
    "group_value": "Nhóm",
    "households": "Số hộ",
    "poor_households": "Hộ nghèo",
    "poor_rate": "Tỷ lệ hộ nghèo",
    "near_poor_households": "Hộ cận nghèo",
    "near_poor_rate": "Tỷ lệ hộ cận nghèo",
    "people": "Số khẩu",
    "poor_people": "Khẩu nghèo",
    "near_poor_people": "Khẩu cận nghèo",
    "mpi_h": "H (tỷ lệ nghèo đa chiều)",
    "mpi_a": "A (cường độ)",
    "mpi_m0": "M0",
}
RATES = {"poor_rate", "near_poor_rate", "mpi_h", "mpi_a", "mpi_m0"}


def is_rate(column: str) -> bool:
    """Rates and shares print as percentages; `deprived_<key>` is a share of people."""
    return column in RATES or column.startswith("deprived_")


def write_csv(path: Path, frame: pl.DataFrame) -> None:
    with atomic_output(path) as tmp:
        cells.write_csv(frame, tmp)


def write_xlsx(
    path: Path,
    frame: pl.DataFrame,
    title: str,
    notes: list[str],
    headings: Mapping[str, str] = HEADINGS_VI,
    number_format: Callable[[str], str] | None = None,
    frozen_columns: int = 2,
) -> None:
    """One sheet: a title, notes (source, date), Vietnamese and English headings, the rows.

    `number_format` gives each column's Excel format; by default rates as percentages.
    """
    format_of = number_format or _poverty_format
    with atomic_output(path) as tmp:
        workbook = cells.workbook(tmp)
        sheet = workbook.add_worksheet("bao_cao")
        bold = workbook.add_format(
            {"bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7"}
        )
        formats: dict[str, Any] = {}
        sheet.write(
            0, 0, cells.neutral(title), workbook.add_format({"bold": True, "font_size": 14})
        )
        for offset, note in enumerate(notes, start=1):
            sheet.write(offset, 0, cells.neutral(note))
        top = len(notes) + 2
        for index, name in enumerate(frame.columns):
            sheet.write(top, index, cells.neutral(headings.get(name, name)), bold)
            sheet.write(top + 1, index, cells.neutral(name), bold)
            wanted = format_of(name)
            if wanted not in formats:
                formats[wanted] = workbook.add_format({"num_format": wanted})
            sheet.set_column(index, index, 16, formats[wanted])
        for row, values in enumerate(frame.iter_rows(), start=top + 2):
            cells.write_text_row(sheet, row, 0, values)
        sheet.freeze_panes(top + 2, frozen_columns)
        workbook.close()


def _poverty_format(name: str) -> str:
    return "0.00%" if is_rate(name) else "#,##0"

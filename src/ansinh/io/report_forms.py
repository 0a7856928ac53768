"""The review's report forms as XLSX in the Ministry's layout, from layouts kept as data.

A form (data/review/report_forms.yaml) is a title, grouped columns and a note; the sheet has the
national heading, the title, two header rows, a row of column numbers, one row per unit, the
total, and the signature block, on A4 landscape.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from ansinh.errors import InputError
from ansinh.io import cells
from ansinh.io.files import atomic_output

KINDS = ("count", "rate", "text")


@dataclass(frozen=True)
class FormColumn:
    key: str
    heading_vi: str
    heading_en: str
    kind: str = "count"
    group_vi: str = ""
    group_en: str = ""
    of: tuple[str, str] | None = None  # a rate's numerator and denominator


@dataclass(frozen=True)
class ReportForm:
    id: str
    title_vi: str
    title_en: str
    note_vi: str
    checked: bool
    references: tuple[str, ...]
    columns: tuple[FormColumn, ...]

    def needs(self) -> list[str]:
        """The frame columns the form reads."""
        keys = [c.key for c in self.columns if c.kind != "rate"]
        keys += [k for c in self.columns if c.of for k in c.of]
        return list(dict.fromkeys(keys))


def load_forms() -> dict[str, ReportForm]:
    text = resources.files("ansinh.data.review").joinpath("report_forms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    known = {ref["id"] for ref in data["references"]}
    forms = {}
    for form_id, spec in data["forms"].items():
        columns = tuple(_column(form_id, c) for c in spec["columns"])
        references = tuple(spec["references"])
        if not set(references) <= known:
            raise ValueError(f"form {form_id}: unknown references {set(references) - known}")
        forms[form_id] = ReportForm(
            form_id,
            spec["title_vi"],
            spec["title_en"],
            spec.get("note_vi", ""),
            bool(spec["checked"]),
            references,
            columns,
        )
    return forms


def _column(form_id: str, spec: dict[str, Any]) -> FormColumn:
    kind = spec.get("kind", "count")
    if kind not in KINDS:
        raise ValueError(f"form {form_id}, column {spec['key']}: kind must be one of {KINDS}")
    of = tuple(spec["of"]) if "of" in spec else None
    if (kind == "rate") != (of is not None) or (of is not None and len(of) != 2):
        raise ValueError(f"form {form_id}, column {spec['key']}: a rate needs `of: [num, den]`")
    return FormColumn(
        spec["key"],
        spec["heading_vi"],
        spec["heading_en"],
        kind,
        spec.get("group_vi", ""),
        spec.get("group_en", ""),
        (of[0], of[1]) if of else None,
    )


@dataclass(frozen=True)
class FormHeading:
    """What the sheet says above the table: who reports, the year, the standard."""

    unit_name: str
    year: int
    standard_id: str
    provisional: bool
    made_on: str


def write_form(
    form: ReportForm, rows: pl.DataFrame, total: dict[str, Any], heading: FormHeading, target: Path
) -> None:
    """`rows` (one per unit) and `total` (the reporting unit) in the form's layout, whole or not
    at all."""
    missing = [k for k in form.needs() if k not in rows.columns or k not in total]
    if missing:
        raise ValueError(f"form {form.id}: missing columns {missing}")
    if target.suffix.lower() != ".xlsx":
        raise InputError.single(str(target), "Tệp phải là .xlsx", "The file must be .xlsx")
    with atomic_output(target) as tmp:
        book = cells.workbook(tmp)
        _Sheet(book, form, heading).write(rows.iter_rows(named=True), total)
        book.close()


class _Sheet:
    def __init__(self, book: Any, form: ReportForm, heading: FormHeading) -> None:
        self.book, self.form, self.heading = book, form, heading
        self.sheet = book.add_worksheet(form.id[:31])
        self.sheet.set_paper(9)  # A4
        self.sheet.set_landscape()
        self.sheet.fit_to_pages(1, 0)
        base = {"font_name": "Times New Roman", "font_size": 11}
        self.plain = book.add_format(base)
        self.bold = book.add_format(base | {"bold": True})
        self.centre = book.add_format(base | {"bold": True, "align": "center"})
        self.title = book.add_format(base | {"bold": True, "font_size": 13, "align": "center"})
        cell = base | {"border": 1, "valign": "vcenter"}
        self.head = book.add_format(cell | {"bold": True, "align": "center", "text_wrap": True})
        self.number = book.add_format(cell | {"num_format": "#,##0"})
        self.rate = book.add_format(cell | {"num_format": "0.00"})
        self.text = book.add_format(cell)
        self.total = book.add_format(cell | {"bold": True, "num_format": "#,##0"})
        self.total_rate = book.add_format(cell | {"bold": True, "num_format": "0.00"})
        self.width = len(form.columns) + 1  # STT first

    def write(self, rows: Any, total: dict[str, Any]) -> None:
        top = self._top()
        top = self._headers(top)
        number = 0
        for number, row in enumerate(rows, start=1):
            self._row(top, str(number), row, self.number, self.rate, self.text)
            top += 1
        self._row(
            top, "", total | {"unit_name": "Tổng cộng"}, self.total, self.total_rate, self.total
        )
        self._footer(top + 2)
        self.sheet.set_column(0, 0, 5)
        self.sheet.set_column(1, 1, 28)
        self.sheet.set_column(2, self.width - 1, 12)

    def _top(self) -> int:
        h, last = self.heading, self.width - 1
        write = cells.write_text_row
        write(self.sheet, 0, 0, [f"UBND {h.unit_name}".upper()], self.bold)
        self.sheet.merge_range(
            0, max(last - 5, 2), 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", self.centre
        )
        self.sheet.merge_range(
            1, max(last - 5, 2), 1, last, "Độc lập - Tự do - Hạnh phúc", self.centre
        )
        title = self.form.title_vi.format(year=h.year)
        self.sheet.merge_range(3, 0, 3, last, cells.neutral(title), self.title)
        standard = f"Chuẩn nghèo: {h.standard_id}"
        if h.provisional:
            standard += " — CHUẨN TẠM THỜI, CHỈ ĐỂ SO SÁNH / PROVISIONAL STANDARD"
        self.sheet.merge_range(4, 0, 4, last, cells.neutral(standard), self.centre)
        if not self.form.checked:
            note = (
                "Bố cục theo quy ước mẫu biểu của Bộ; chưa đối chiếu với Phụ lục VII Thông tư "
                "07/2021/TT-BLĐTBXH (sửa đổi bởi Thông tư 02/2022/TT-BLĐTBXH)"
            )
            self.sheet.merge_range(5, 0, 5, last, note, self.plain)
        return 7

    def _headers(self, top: int) -> int:
        columns = self.form.columns
        self.sheet.merge_range(top, 0, top + 1, 0, "TT", self.head)
        index = 0
        while index < len(columns):
            column = columns[index]
            start = index
            while (
                index + 1 < len(columns)
                and column.group_vi
                and (columns[index + 1].group_vi == column.group_vi)
            ):
                index += 1
            if column.group_vi:
                self._merge(top, start + 1, top, index + 1, column.group_vi)
                for j in range(start, index + 1):
                    self.sheet.write(top + 1, j + 1, columns[j].heading_vi, self.head)
            else:
                self.sheet.merge_range(
                    top, start + 1, top + 1, start + 1, column.heading_vi, self.head
                )
            index += 1
        for j in range(self.width):
            self.sheet.write(top + 2, j, f"({j + 1})", self.head)
        self.sheet.repeat_rows(top, top + 2)
        return top + 3

    def _merge(self, r1: int, c1: int, r2: int, c2: int, text: str) -> None:
        if c1 == c2:
            self.sheet.write(r1, c1, text, self.head)
        else:
            self.sheet.merge_range(r1, c1, r2, c2, text, self.head)

    def _row(
        self, r: int, number: str, row: dict[str, Any], count: Any, rate: Any, text: Any
    ) -> None:
        self.sheet.write(r, 0, number, text)
        for j, column in enumerate(self.form.columns, start=1):
            if column.kind == "text":
                self.sheet.write(r, j, cells.neutral(str(row.get(column.key) or "")), text)
            elif column.kind == "rate" and column.of:
                num, den = row[column.of[0]] or 0, row[column.of[1]] or 0
                self.sheet.write_number(r, j, round(100 * num / den, 2) if den else 0.0, rate)
            else:
                self.sheet.write_number(r, j, row.get(column.key) or 0, count)

    def _footer(self, r: int) -> None:
        last = self.width - 1
        h = self.heading
        self.sheet.merge_range(r, max(last - 5, 2), r, last, f"..., {h.made_on}", self.plain)
        self.sheet.write(r + 1, 1, "NGƯỜI LẬP BIỂU", self.centre)
        self.sheet.write(r + 2, 1, "(Ký, ghi rõ họ tên)", self.plain)
        self.sheet.merge_range(r + 1, max(last - 5, 2), r + 1, last, "CHỦ TỊCH", self.centre)
        self.sheet.merge_range(
            r + 2, max(last - 5, 2), r + 2, last, "(Ký, ghi rõ họ tên, đóng dấu)", self.centre
        )
        if self.form.note_vi:
            self.sheet.merge_range(
                r + 7, 0, r + 7, last, cells.neutral("Ghi chú: " + self.form.note_vi), self.plain
            )

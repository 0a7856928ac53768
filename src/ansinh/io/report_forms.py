"""The review's report forms as XLSX in the Ministry's layout, from layouts kept as data.

A form (data/review/report_forms.yaml) is a title, grouped columns and a note; the sheet has the
national heading, the title, two header rows (three when a column has a subgroup), a row of
column numbers, one row per unit (or, with `per_unit_rows`, one per unit and breakdown: "Hộ",
"Nhân khẩu"), the total, and the signature block, on A4 landscape.
"""

from __future__ import annotations

import string
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
# A unit's rows in a form with `per_unit_rows`: the "Phân tổ" label, and the suffix of the frame
# columns each row reads (a flow's households under its key, its people under key + "_people").
ROW_KINDS = {"households": ("Hộ", ""), "people": ("Nhân khẩu", "_people")}
# The row of column numbers: "(1)", "(2)", ... for every column, or the provincial outputs' A, B,
# C for the text columns and 1, 2, ... (or a column's own `number`) for the figures.
NUMBER_ROWS = ("counted", "lettered")
UNCHECKED_LAYOUT = (
    "Bố cục theo quy ước mẫu biểu của Bộ; chưa đối chiếu với Phụ lục VII Thông tư "
    "07/2021/TT-BLĐTBXH (sửa đổi bởi Thông tư 02/2022/TT-BLĐTBXH)"
)


@dataclass(frozen=True)
class FormColumn:
    key: str
    heading_vi: str
    heading_en: str
    kind: str = "count"
    group_vi: str = ""
    group_en: str = ""
    of: tuple[str, str] | None = None  # a rate's numerator and denominator
    subgroup_vi: str = ""  # a second heading level under the group
    subgroup_en: str = ""
    number: str = ""  # the column's label in the row of numbers, e.g. "9=1-2-3-4+5+6+7+8"


@dataclass(frozen=True)
class ReportForm:
    id: str
    title_vi: str
    title_en: str
    note_vi: str
    checked: bool
    references: tuple[str, ...]
    columns: tuple[FormColumn, ...]
    per_unit_rows: tuple[str, ...] = ()  # ROW_KINDS; none: one row per unit
    number_row: str = "counted"
    layout_vi: str = UNCHECKED_LAYOUT  # what an unchecked form says of its layout

    def needs(self) -> list[str]:
        """The frame columns the form reads."""
        suffixes = [ROW_KINDS[kind][1] for kind in self.per_unit_rows] or [""]
        figures = [c.key for c in self.columns if c.kind == "count"]
        figures += [k for c in self.columns if c.of for k in c.of]
        keys = [c.key for c in self.columns if c.kind == "text"]
        keys += [key + suffix for key in figures for suffix in suffixes]
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
        per_unit_rows = tuple(spec.get("per_unit_rows", ()))
        if not set(per_unit_rows) <= set(ROW_KINDS):
            raise ValueError(f"form {form_id}: per_unit_rows must be among {tuple(ROW_KINDS)}")
        number_row = spec.get("number_row", "counted")
        if number_row not in NUMBER_ROWS:
            raise ValueError(f"form {form_id}: number_row must be one of {NUMBER_ROWS}")
        forms[form_id] = ReportForm(
            form_id,
            spec["title_vi"],
            spec["title_en"],
            spec.get("note_vi", ""),
            bool(spec["checked"]),
            references,
            columns,
            per_unit_rows,
            number_row,
            spec.get("layout_vi", UNCHECKED_LAYOUT),
        )
    return forms


def _column(form_id: str, spec: dict[str, Any]) -> FormColumn:
    kind = spec.get("kind", "count")
    if kind not in KINDS:
        raise ValueError(f"form {form_id}, column {spec['key']}: kind must be one of {KINDS}")
    of = tuple(spec["of"]) if "of" in spec else None
    if (kind == "rate") != (of is not None) or (of is not None and len(of) != 2):
        raise ValueError(f"form {form_id}, column {spec['key']}: a rate needs `of: [num, den]`")
    if spec.get("subgroup_vi") and not spec.get("group_vi"):
        raise ValueError(f"form {form_id}, column {spec['key']}: a subgroup needs a group")
    return FormColumn(
        spec["key"],
        spec["heading_vi"],
        spec["heading_en"],
        kind,
        spec.get("group_vi", ""),
        spec.get("group_en", ""),
        (of[0], of[1]) if of else None,
        spec.get("subgroup_vi", ""),
        spec.get("subgroup_en", ""),
        str(spec.get("number", "")),
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
        # The sheet's columns: TT, then the form's, with "Phân tổ" after the leading text
        # columns when each unit has a row per breakdown.
        columns = form.columns
        leading = next((j for j, c in enumerate(columns) if c.kind != "text"), len(columns))
        self.split = leading + 1 if form.per_unit_rows else None
        shift = [1 if self.split is not None and j >= leading else 0 for j in range(len(columns))]
        self.places = [j + 1 + shift[j] for j in range(len(columns))]
        self.width = len(columns) + 1 + (1 if self.split is not None else 0)
        self.depth = 3 if any(c.subgroup_vi for c in columns) else 2  # header rows

    def write(self, rows: Any, total: dict[str, Any]) -> None:
        top = self._top()
        top = self._headers(top)
        number = 0
        for number, row in enumerate(rows, start=1):
            top = self._unit(top, str(number), row, self.number, self.rate, self.text)
        total_row = total | {"unit_name": "Tổng cộng"}
        top = self._unit(top, "", total_row, self.total, self.total_rate, self.total)
        self._footer(top + 1)
        self.sheet.set_column(0, 0, 5)
        self.sheet.set_column(1, 1, 28)
        self.sheet.set_column(2, self.width - 1, 12)
        if self.split is not None:
            self.sheet.set_column(self.split, self.split, 10)

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
            self.sheet.merge_range(5, 0, 5, last, self.form.layout_vi, self.plain)
        return 7

    def _headers(self, top: int) -> int:
        """The header rows (a column's group, subgroup, then its heading down to the last
        header row), then the row of column numbers; returns the first row below them."""
        columns, places = self.form.columns, self.places
        bottom = top + self.depth - 1
        self._merge(top, 0, bottom, 0, "TT")
        if self.split is not None:
            self._merge(top, self.split, bottom, self.split, "Phân tổ")
        paths = [tuple(p for p in (c.group_vi, c.subgroup_vi) if p) for c in columns]

        def same(j: int, k: int, level: int) -> bool:
            """Whether columns j and k (side by side) share their headings down to `level`."""
            return len(paths[j]) > level and paths[j][: level + 1] == paths[k][: level + 1]

        for j, column in enumerate(columns):
            for level in range(len(paths[j])):
                if j > 0 and places[j - 1] + 1 == places[j] and same(j - 1, j, level):
                    continue  # merged from the first column of the run
                end = j
                while end + 1 < len(columns) and places[end] + 1 == places[end + 1]:
                    if not same(end + 1, j, level):
                        break
                    end += 1
                self._merge(top + level, places[j], top + level, places[end], paths[j][level])
            self._merge(top + len(paths[j]), places[j], bottom, places[j], column.heading_vi)
        if self.depth == 3:  # merged cells do not grow to their text: room for long headings
            self.sheet.set_row(top, 30)
            self.sheet.set_row(top + 1, 45)
            self.sheet.set_row(top + 2, 90)
        self._numbers(bottom + 1)
        self.sheet.repeat_rows(top, bottom + 1)
        return bottom + 2

    def _numbers(self, r: int) -> None:
        if self.form.number_row == "counted":
            for j in range(self.width):
                self.sheet.write(r, j, f"({j + 1})", self.head)
            return
        by_place = {place: c for place, c in zip(self.places, self.form.columns, strict=True)}
        letters, figures = iter(string.ascii_uppercase), 0
        for place in range(self.width):
            column = by_place.get(place)  # None: TT or Phân tổ
            if column is None or column.kind == "text":
                label = next(letters)
            else:
                figures += 1
                label = column.number or str(figures)
            self.sheet.write(r, place, label, self.head)

    def _merge(self, r1: int, c1: int, r2: int, c2: int, text: str, style: Any = None) -> None:
        if (r1, c1) == (r2, c2):
            self.sheet.write(r1, c1, text, style or self.head)
        else:
            self.sheet.merge_range(r1, c1, r2, c2, text, style or self.head)

    def _unit(
        self, r: int, number: str, row: dict[str, Any], count: Any, rate: Any, text: Any
    ) -> int:
        """A unit's row, or its rows one per breakdown; returns the row below them."""
        columns = self.form.columns
        last = r + max(len(self.form.per_unit_rows), 1) - 1
        self._merge(r, 0, last, 0, number, text)
        for place, column in zip(self.places, columns, strict=True):
            if column.kind == "text":
                value = cells.neutral(str(row.get(column.key) or ""))
                self._merge(r, place, last, place, value, text)
        if self.split is None:
            self._figures(r, row, "", count, rate)
        for i, kind in enumerate(self.form.per_unit_rows):
            label, suffix = ROW_KINDS[kind]
            self.sheet.write(r + i, self.split, label, text)
            self._figures(r + i, row, suffix, count, rate)
        return last + 1

    def _figures(self, r: int, row: dict[str, Any], suffix: str, count: Any, rate: Any) -> None:
        for place, column in zip(self.places, self.form.columns, strict=True):
            if column.kind == "rate" and column.of:
                num, den = row[column.of[0] + suffix] or 0, row[column.of[1] + suffix] or 0
                self.sheet.write_number(r, place, round(100 * num / den, 2) if den else 0.0, rate)
            elif column.kind == "count":
                self.sheet.write_number(r, place, row.get(column.key + suffix) or 0, count)

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

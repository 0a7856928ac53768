"""The import templates An Sinh ships: their columns, as CSV headers or a workbook with guidance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import xlsxwriter
import yaml

from ansinh.domain import codelists
from ansinh.domain.poverty import standard_in_force
from ansinh.io import cells
from ansinh.io.files import atomic_output

KINDS = ("households", "survey")


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    required: bool
    vi: str
    en: str


@dataclass(frozen=True)
class Template:
    kind: str
    sheet: str
    title_vi: str
    title_en: str
    columns: tuple[TemplateColumn, ...]


def load_template(kind: str, on: date | None = None) -> Template:
    """The template's columns; `deprived_*` becomes one column per indicator in force `on`."""
    text = resources.files("ansinh.data.templates").joinpath(f"{kind}.yaml").read_text("utf-8")
    spec = yaml.safe_load(text)
    columns: list[TemplateColumn] = []
    for column in spec["columns"]:
        if column["name"] == "deprived_*":
            standard = standard_in_force(on or date.today())
            columns += [
                TemplateColumn(f"deprived_{key}", True, f"{column['vi']} — {key}", column["en"])
                for key in standard.indicators
            ]
        else:
            columns.append(
                TemplateColumn(column["name"], column["required"], column["vi"], column["en"])
            )
    return Template(kind, spec["sheet"], spec["title_vi"], spec["title_en"], tuple(columns))


def write_template(path: Path, kind: str) -> None:
    template = load_template(kind)
    with atomic_output(path) as tmp:
        if path.suffix.lower() == ".xlsx":
            _write_workbook(tmp, template)
        else:
            tmp.write_text(",".join(c.name for c in template.columns) + "\n", encoding="utf-8")


def _write_workbook(path: Path, template: Template) -> None:
    workbook = cells.workbook(path)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    data = workbook.add_worksheet(template.sheet)
    for index, column in enumerate(template.columns):
        data.write_string(0, index, column.name, bold)
        data.set_column(index, index, max(14, len(column.name) + 2), text)
        data.write_comment(0, index, f"{column.vi}\n{column.en}")
    data.freeze_panes(1, 0)
    guide = workbook.add_worksheet("huong_dan")
    cells.write_text_row(
        guide, 0, 0, ["cột / column", "bắt buộc / required", "tiếng Việt", "English"], bold
    )
    for row, column in enumerate(template.columns, start=1):
        cells.write_text_row(
            guide, row, 0, [column.name, "x" if column.required else "", column.vi, column.en]
        )
    guide.set_column(0, 0, 28)
    guide.set_column(2, 3, 70)
    if template.kind == "households":
        _write_code_lists(workbook, bold)
    workbook.close()


def _write_code_lists(workbook: xlsxwriter.Workbook, bold: object) -> None:
    sheet = workbook.add_worksheet("danh_muc")
    cells.write_text_row(sheet, 0, 0, ["relation", "quan hệ", "ethnicity code", "dân tộc"], bold)
    for row, relation in enumerate(codelists.relations().values(), start=1):
        cells.write_text_row(sheet, row, 0, [relation.code, relation.name_vi])
    for row, (code, name) in enumerate(codelists.ethnic_groups().items(), start=1):
        cells.write_text_row(sheet, row, 2, [code, name])
    column = 4
    listed = codelists.benefit_categories()
    for programme in codelists.BENEFIT_COLUMNS.values():
        categories = listed[programme]
        sheet.write(0, column, f"{programme}_category", bold)
        for row, category in enumerate(sorted(categories), start=1):
            sheet.write(row, column, category)
        column += 1
    sheet.set_column(0, column, 22)

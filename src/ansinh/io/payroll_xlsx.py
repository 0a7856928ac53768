"""A payroll as the workbook a commune signs: title, one row per person and line, a signature
column, totals, and the signatures of who prepared, checked and approved it."""

from __future__ import annotations

import io
from collections.abc import Callable

import xlsxwriter

from ansinh.io import cells
from ansinh.store.payroll import LineRow, Run

HEADER_VI = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Thôn",
    "Chế độ",
    "Tháng",
    "Loại",
    "Số tiền (đồng)",
    "Ký nhận",
]
KIND_VI = {"due": "Tháng này", "arrears": "Truy lĩnh", "recovery": "Thu hồi"}


def payroll_workbook(
    run: Run, commune_name: str, lines: list[LineRow], benefit_name: Callable[[str, str], str]
) -> bytes:
    """Values only, written as text or numbers (never a formula from a cell's value)."""
    buffer = io.BytesIO()
    book = cells.workbook(buffer, in_memory=True)
    styles = _styles(book)
    sheet = book.add_worksheet(f"{run.month:%Y-%m}")
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(4)
    sheet.merge_range(0, 0, 0, 8, f"UBND {commune_name}".upper(), styles["left"])
    sheet.merge_range(
        1, 0, 1, 8, f"DANH SÁCH CHI TRẢ TRỢ CẤP THÁNG {run.month:%m/%Y}", styles["title"]
    )
    status = {
        "prepared": "Dự thảo, chưa duyệt",
        "approved": f"Đã duyệt ({run.approved_by})",
        "closed": "Đã chi xong",
    }[run.status]
    sheet.merge_range(2, 0, 2, 8, f"Mã xã {run.commune_code} · {status}", styles["centre"])
    for column, title in enumerate(HEADER_VI):
        sheet.write_string(4, column, title, styles["head"])
    row = 5
    for number, line in enumerate(lines, start=1):
        values = [
            line.full_name,
            (line.birth_date or "")[:4],
            line.village or "",
            benefit_name(line.programme, line.category),
            f"{line.month:%m/%Y}",
            KIND_VI.get(line.kind, line.kind),
        ]
        sheet.write_number(row, 0, number, styles["cell"])
        for column, value in enumerate(values, start=1):
            sheet.write_string(row, column, cells.neutral(value), styles["cell"])
        sheet.write_number(row, 7, line.amount, styles["money"])
        sheet.write_string(row, 8, "", styles["cell"])
        sheet.set_row(row, 30)  # room to sign
        row += 1
    sheet.merge_range(row, 0, row, 6, "Tổng cộng", styles["head"])
    sheet.write_number(row, 7, sum(line.amount for line in lines), styles["total"])
    sheet.write_string(row, 8, "", styles["head"])
    for column, who in zip(
        (1, 4, 7), ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "CHỦ TỊCH UBND XÃ"), strict=True
    ):
        sheet.write_string(row + 2, column, who, styles["sign"])
        sheet.write_string(row + 3, column, "(Ký, ghi rõ họ tên)", styles["note"])
    for column, width in enumerate((5, 26, 9, 16, 40, 9, 11, 15, 18)):
        sheet.set_column(column, column, width)
    book.close()
    return buffer.getvalue()


def _styles(book: xlsxwriter.Workbook) -> dict[str, object]:
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "left": book.add_format({"bold": True}),
        "title": book.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "centre": book.add_format({"italic": True, "align": "center"}),
        "head": book.add_format({**border, "bold": True, "align": "center", "bg_color": "#EEEEEE"}),
        "cell": book.add_format(border),
        "money": book.add_format({**border, "num_format": "#,##0"}),
        "total": book.add_format({**border, "bold": True, "num_format": "#,##0"}),
        "sign": book.add_format({"bold": True, "align": "center"}),
        "note": book.add_format({"italic": True, "align": "center"}),
    }

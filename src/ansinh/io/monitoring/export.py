"""Writing monitoring reports as CSV or as a titled XLSX sheet, never half a file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from ansinh.io.files import atomic_output

HEADINGS_VI = {
    "programme": "Chương trình",
    "capital_type": "Loại vốn",
    "plan_vnd": "Kế hoạch vốn (đồng)",
    "disbursed_vnd": "Đã giải ngân (đồng)",
    "rate": "Tỷ lệ giải ngân",
    "remaining_vnd": "Chưa giải ngân (đồng)",
    "carry_over_vnd": "Chuyển nguồn sang năm sau (đồng)",
    "carry_over_share": "Tỷ lệ chuyển nguồn",
    "expiring_vnd": "Vốn kéo dài chưa giải ngân (đồng)",
    "target_id": "Mã mục tiêu",
    "unit_code": "Mã đơn vị",
    "status": "Tình trạng",
    "latest_year": "Năm số liệu",
    "latest_value": "Giá trị",
    "projected_value": "Dự báo đến hạn",
    "ratio": "Tỷ số tiến độ",
    "reason": "Lý do",
    "parent_code": "Đơn vị",
    "communes": "Số xã",
    "criteria_met_mean": "Số tiêu chí bình quân/xã",
    "communes_meeting_all": "Số xã đạt chuẩn",
    "share_meeting_all": "Tỷ lệ xã đạt chuẩn",
}
SHARES = {
    "rate",
    "carry_over_share",
    "share_meeting_all",
    "villages_recognised_share",
    "villages_model_share",
}
DECIMALS = {"latest_value", "projected_value", "ratio", "criteria_met_mean"}


def write_report(path: Path, frame: pl.DataFrame, title: str, notes: list[str]) -> None:
    """CSV or XLSX by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, frame, title, notes)
    else:
        with atomic_output(path) as tmp:
            frame.write_csv(tmp)


def write_xlsx(path: Path, frame: pl.DataFrame, title: str, notes: list[str]) -> None:
    """One sheet: title, notes (source, date), Vietnamese and English headings, then the rows."""
    with atomic_output(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp))
        sheet = workbook.add_worksheet("bao_cao")
        bold = workbook.add_format({"bold": True, "text_wrap": True, "border": 1})
        styles = {
            "share": workbook.add_format({"num_format": "0.0%"}),
            "decimal": workbook.add_format({"num_format": "#,##0.00"}),
            "whole": workbook.add_format({"num_format": "#,##0"}),
        }
        sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
        for offset, note in enumerate(notes, start=1):
            sheet.write(offset, 0, note)
        top = len(notes) + 2
        for index, name in enumerate(frame.columns):
            sheet.write(top, index, HEADINGS_VI.get(name, name), bold)
            sheet.write(top + 1, index, name, bold)
            sheet.set_column(index, index, 18, styles[_style(name)])
        for row, values in enumerate(frame.iter_rows(), start=top + 2):
            for index, value in enumerate(values):
                sheet.write(row, index, value)
        sheet.freeze_panes(top + 2, 1)
        workbook.close()


def _style(name: str) -> str:
    if name in SHARES:
        return "share"
    return "decimal" if name in DECIMALS else "whole"

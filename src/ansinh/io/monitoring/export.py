"""Writing monitoring reports as CSV or as a titled XLSX sheet, never half a file."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ansinh.io.report_export import write_csv, write_xlsx

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
        write_xlsx(path, frame, title, notes, HEADINGS_VI, _number_format, frozen_columns=1)
    else:
        write_csv(path, frame)


_FORMATS = {"share": "0.0%", "decimal": "#,##0.00", "whole": "#,##0"}


def _number_format(name: str) -> str:
    return _FORMATS[_style(name)]


def _style(name: str) -> str:
    if name in SHARES:
        return "share"
    return "decimal" if name in DECIMALS else "whole"

"""`ansinh review stage|complaint|progress|regular|monthly`: the review run from the command
line for batch work; bad input is exit 2 with the reason, and nothing changes."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from tests.builders import KHAO_MANG, family, survey, write_csv
from tests.cli.conftest import Cli


@pytest.fixture
def reviewed(cli: Cli, tmp_path: Path) -> Cli:
    assert cli("import", str(write_csv(tmp_path / "h.csv", family()))).exit_code == 0
    surveys = [survey("H1", 1_500_000, {"water", "sanitation", "telecom"}, year=2025)]
    assert cli("import", str(write_csv(tmp_path / "s.csv", surveys))).exit_code == 0
    assert cli("review", "--year", "2025").exit_code == 0
    return cli


def stage(cli: Cli, name: str, on: str, *extra: str):  # type: ignore[no-untyped-def]
    return cli(
        "review",
        "stage",
        "--commune",
        KHAO_MANG,
        "--year",
        "2025",
        "--stage",
        name,
        "--on",
        on,
        *extra,
    )


def posted_text(cli: Cli, tmp_path: Path) -> str:
    out = tmp_path / "niem-yet.xlsx"
    assert (
        cli("review", "post", "--commune", KHAO_MANG, "--year", "2025", "-o", str(out)).exit_code
        == 0
    )
    with zipfile.ZipFile(out) as book:
        return "".join(book.read(name).decode() for name in book.namelist() if "sheet" in name)


def test_the_lists_stop_being_a_draft_after_the_village_meeting(
    reviewed: Cli, tmp_path: Path
) -> None:
    assert "DỰ THẢO" in posted_text(reviewed, tmp_path)
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4")
    assert stage(reviewed, "listed", "2025-09-05").exit_code == 0
    assert stage(reviewed, "surveyed", "2025-10-10").exit_code == 0
    met = stage(
        reviewed,
        "village_meeting",
        "2025-10-20",
        "--attendance",
        "40",
        "--result",
        "agreed",
        "--minutes",
        str(minutes),
    )
    assert met.exit_code == 0, met.output
    assert "DỰ THẢO" not in posted_text(reviewed, tmp_path)


def test_refusals_name_the_rule_and_change_nothing(reviewed: Cli, tmp_path: Path) -> None:
    minutes = tmp_path / "bien-ban.txt"
    minutes.write_text("biên bản")
    stage(reviewed, "listed", "2025-09-05")
    stage(reviewed, "surveyed", "2025-10-10")
    stage(
        reviewed,
        "village_meeting",
        "2025-10-20",
        "--attendance",
        "40",
        "--result",
        "agreed",
        "--minutes",
        str(minutes),
    )
    posted = stage(reviewed, "posted", "2025-11-06")  # Thursday: to Monday 10 November
    assert "10/11/2025" in posted.output
    early = stage(reviewed, "complaints_heard", "2025-11-10")
    assert early.exit_code == 2 and "Điều 4 khoản 3" in early.output
    unknown = reviewed(
        "review",
        "complaint",
        "add",
        "--commune",
        KHAO_MANG,
        "--year",
        "2025",
        "--complainant",
        "Lý Thị Mai",
        "--channel",
        "letter",
        "--received",
        "2025-11-07",
        "--household",
        "H9",
    )
    assert unknown.exit_code == 2 and "H9" in unknown.output
    out = tmp_path / "progress.csv"
    assert (
        reviewed(
            "review",
            "progress",
            "--unit",
            "15",
            "--year",
            "2025",
            "--as-of",
            "2025-11-12",
            "-o",
            str(out),
        ).exit_code
        == 0
    )
    rows = {r["commune_code"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows[KHAO_MANG]["reached"] == "posted" and rows[KHAO_MANG]["open_complaints"] == "0"


def test_a_complaint_decided_and_a_regular_review_in_the_monthly_report(
    reviewed: Cli, tmp_path: Path
) -> None:
    added = reviewed(
        "review",
        "complaint",
        "add",
        "--commune",
        KHAO_MANG,
        "--year",
        "2025",
        "--complainant",
        "Lý Thị Mai",
        "--channel",
        "letter",
        "--received",
        "2025-11-07",
        "--household",
        "H1",
    )
    assert added.exit_code == 0, added.output
    decided = reviewed(
        "review",
        "complaint",
        "decide",
        "--id",
        "1",
        "--on",
        "2025-11-20",
        "--outcome",
        "upheld",
        "--decision-no",
        "12/QĐ-UBND",
        "--status",
        "near_poor",
    )
    assert decided.exit_code == 0 and "poor → near_poor" in decided.output
    applied = reviewed(
        "review",
        "regular",
        "--household",
        "H1",
        "--applied",
        "2026-03-02",
        "--decided",
        "2026-03-20",
        "--status",
        "average",
        "--decision-no",
        "30/QĐ-UBND",
    )
    assert applied.exit_code == 0, applied.output
    out = tmp_path / "monthly.csv"
    assert (
        reviewed(
            "review", "monthly", "--unit", "15", "--month", "2026-03", "-o", str(out)
        ).exit_code
        == 0
    )
    assert list(csv.DictReader(out.open(encoding="utf-8"))) == [
        {
            "commune_code": KHAO_MANG,
            "status_before": "near_poor",
            "status_after": "average",
            "applications": "1",
            "decided": "1",
        },
    ]


def send_back(cli: Cli, on: str, reason: str):  # type: ignore[no-untyped-def]
    return cli(
        "review", "return", "--commune", KHAO_MANG, "--year", "2025", "--on", on, "--reason", reason
    )


def test_the_province_sends_a_report_back_and_the_commune_reports_again(
    reviewed: Cli, tmp_path: Path
) -> None:
    minutes = tmp_path / "bien-ban.txt"
    minutes.write_text("biên bản")
    stage(reviewed, "listed", "2025-09-05")
    stage(reviewed, "surveyed", "2025-10-10")
    stage(
        reviewed,
        "village_meeting",
        "2025-10-20",
        "--attendance",
        "40",
        "--result",
        "agreed",
        "--minutes",
        str(minutes),
    )
    stage(reviewed, "posted", "2025-11-03")
    stage(reviewed, "complaints_heard", "2025-11-06")
    stage(reviewed, "recognised", "2025-11-07", "--decision-no", "45/QĐ-UBND")
    early = send_back(reviewed, "2025-11-08", "Thiếu biên bản")
    assert early.exit_code == 2 and "chưa có gì để trả lại" in early.output
    assert stage(reviewed, "reported", "2025-11-08").exit_code == 0
    blank = send_back(reviewed, "2025-11-10", "  ")
    assert blank.exit_code == 2 and "lý do" in blank.output
    sent = send_back(reviewed, "2025-11-10", "Thiếu biên bản họp thôn 3")
    assert sent.exit_code == 0, sent.output
    assert "reported" in sent.output and "recognised" in sent.output
    out = tmp_path / "progress.csv"
    progress = ("review", "progress", "--unit", KHAO_MANG, "--year", "2025", "-o", str(out))
    assert reviewed(*progress).exit_code == 0
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["reached"] == "recognised" and row["return_reason"] == "Thiếu biên bản họp thôn 3"
    before = stage(reviewed, "reported", "2025-11-09")
    assert before.exit_code == 2 and "trả lại" in before.output
    assert stage(reviewed, "reported", "2025-11-11").exit_code == 0
    assert stage(reviewed, "approved", "2025-11-20").exit_code == 0
    late = send_back(reviewed, "2025-11-21", "Sai số liệu")
    assert late.exit_code == 2 and "không trả lại được" in late.output

"""`ansinh targets status`, `ansinh finance report`, `ansinh ntm report` through the CLI."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook
from tests.cli.conftest import Cli

import ansinh.cli.monitoring  # noqa: F401  (registers the commands until cli/commands.py does)

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
PLANS = str(EXAMPLES / "lao-cai-2024-plans.csv")
PAID = str(EXAMPLES / "lao-cai-2024-disbursements.csv")


def test_finance_report_csv_follows_the_contract(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "OUT.csv"
    result = cli("finance", "report", PLANS, PAID, "--as-of", "2025-01-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out)
    assert frame.columns[:5] == ["programme", "capital_type", "plan_vnd", "disbursed_vnd", "rate"]
    total = frame.filter((pl.col("programme") == "ALL") & (pl.col("capital_type") == "ALL"))
    assert total["rate"].item() == 0.7367


def test_finance_report_xlsx_and_chart(cli: Cli, tmp_path: Path) -> None:
    out, chart = tmp_path / "OUT.xlsx", tmp_path / "curve.svg"
    result = cli(
        "finance", "report", PLANS, PAID, "--as-of", "2024-12-31", "-o", str(out),
        "--chart", str(chart),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("bao_cao").to_python()
    assert str(rows[0][0]).startswith("Giải ngân đến 2024-12-31")
    assert chart.read_text().lstrip().startswith("<?xml")


def test_finance_bad_input_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    plans = tmp_path / "PLANS.csv"
    plans.write_text(
        "programme,capital_type,plan_year,source_year,unit_code,amount_vnd\n"
        "ntp-roads,investment,2024,2024,15,1000\n",
        encoding="utf-8",
    )
    out = tmp_path / "OUT.csv"
    result = cli("finance", "report", str(plans), PAID, "--as-of", "2025-01-31", "-o", str(out))
    assert result.exit_code == 2
    assert "PLANS.csv, dòng/row 2, cột/column programme" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


def test_bad_as_of_date_and_bad_chart_suffix(cli: Cli, tmp_path: Path) -> None:
    result = cli("finance", "report", PLANS, PAID, "--as-of", "31/01/2025")
    assert result.exit_code == 2 and "--as-of" in result.output
    result = cli("finance", "report", PLANS, PAID, "--as-of", "2025-01-31", "--chart", "c.jpg")
    assert result.exit_code == 2 and ".png" in result.output


def test_targets_status_from_files_with_table_and_chart(cli: Cli, tmp_path: Path) -> None:
    targets = tmp_path / "TARGETS.csv"
    targets.write_text(
        "target_id,group,name,unit_of_measure,baseline_value,baseline_year,target_value,"
        "comparator,tolerance,deadline_year,unit_code\n"
        "trained,labour,Lao động qua đào tạo,%,40,2020,80,at_least,,2030,15\n"
        "unemployment,labour,Thất nghiệp,%,2.0,2020,1.2,about,0.1,2030,15\n"
        "housing,housing,Nhà ở xã hội,căn hộ,0,2020,7600,at_least,,2030,15\n",
        encoding="utf-8",
    )
    observations = tmp_path / "OBSERVATIONS.csv"
    observations.write_text(
        "target_id,unit_code,year,value\n"
        "trained,15,2025,60\n"
        "unemployment,15,2024,1.3\n"
        "unemployment,15,2027,2.5\n",
        encoding="utf-8",
    )
    out, chart = tmp_path / "STATUS.csv", tmp_path / "targets.png"
    args = ["targets", "status", str(targets), str(observations), "--as-of", "2025-06-30"]
    result = cli(*args, "-o", str(out), "--chart", str(chart))
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns == [
        "target_id", "unit_code", "status", "latest_year", "latest_value",
        "projected_value", "ratio", "reason",
    ]  # fmt: skip
    assert frame["status"].to_list() == ["on_track", "achieved", "no_data"]
    assert frame["ratio"].to_list()[0] == "1.0000"
    assert chart.read_bytes()[:4] == b"\x89PNG"
    table = cli(*args)
    assert table.exit_code == 0 and "on_track" in table.output and "by group" in table.output


def test_targets_status_accepts_a_shipped_target_set(cli: Cli, tmp_path: Path) -> None:
    observations = tmp_path / "OBSERVATIONS.csv"
    observations.write_text(
        "target_id,unit_code,year,value\nntp2025-ntm-communes,15,2025,84\n", encoding="utf-8"
    )
    out = tmp_path / "OUT.csv"
    result = cli(
        "targets", "status", "lao-cai-ntp-2025", str(observations), "--as-of", "2025-12-31",
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out, infer_schema=False)
    row = frame.filter(pl.col("target_id") == "ntp2025-ntm-communes").row(0, named=True)
    assert row["status"] == "achieved"


def test_ntm_report_csv_and_chart(cli: Cli, tmp_path: Path) -> None:
    out, chart = tmp_path / "NTM.csv", tmp_path / "ntm.png"
    evaluations = str(EXAMPLES / "hau-loc-ntm-evaluations.csv")
    result = cli(
        "ntm", "report", evaluations, "--year", "2023", "-o", str(out), "--chart", str(chart)
    )
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out)
    assert frame.columns == [
        "parent_code", "communes", "criteria_met_mean", "communes_meeting_all", "share_meeting_all"
    ]  # fmt: skip
    assert frame["parent_code"].to_list() == ["hau-loc", "ALL"]
    assert chart.exists()


def test_ntm_report_unknown_criteria_set(cli: Cli) -> None:
    evaluations = str(EXAMPLES / "hau-loc-ntm-evaluations.csv")
    result = cli("ntm", "report", evaluations, "--year", "2023", "--criteria-set", "nope")
    assert result.exit_code == 2 and "ntm-commune-2021-2025" in result.output


def test_ntm_report_2026_uses_the_2026_2030_criteria(cli: Cli, tmp_path: Path) -> None:
    """Decision 51/2025/QĐ-TTg: 10 criteria from 2026 (the command used to exit 2)."""
    rows = [f"X,P,2026,{n},1" for n in range(1, 11)] + ["Y,P,2026,1,1"]
    evaluations = tmp_path / "e.csv"
    evaluations.write_text(
        "commune_code,parent_code,year,criterion,met\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    out = tmp_path / "OUT.csv"
    result = cli("ntm", "report", str(evaluations), "--year", "2026", "-o", str(out))
    assert result.exit_code == 0, result.output
    total = pl.read_csv(out).filter(pl.col("parent_code") == "ALL").row(0, named=True)
    assert (total["communes"], total["communes_meeting_all"], total["criteria_met_mean"]) == (
        2, 1, 5.5,
    )  # fmt: skip
    from_registry = cli("ntm", "report", "--year", "2026")
    assert from_registry.exit_code == 0, from_registry.output


def test_monitoring_demo_loads_the_examples_once(cli: Cli) -> None:
    """`make run`'s step: the demo province's monitoring page has data out of the box."""
    first = cli("monitoring", "demo", "--within", "15", "--if-empty")
    assert first.exit_code == 0, first.output
    assert "plans: 11 dòng" in first.output and "ntm-evaluations: 4,239 dòng" in first.output
    again = cli("monitoring", "demo", "--within", "15", "--if-empty")
    assert again.exit_code == 0 and "bỏ qua / skipped" in again.output
    report = cli("finance", "report", "--as-of", "2025-01-31")
    assert report.exit_code == 0 and "73.7%" in report.output


def test_monitoring_projects_report_by_programme(cli: Cli, tmp_path: Path) -> None:
    file = str(EXAMPLES / "lao-cai-2024-projects.csv")
    assert cli("monitoring", "load", "projects", file, "--within", "15").exit_code == 0
    out = tmp_path / "projects.csv"
    result = cli("monitoring", "projects", "--by", "programme", "-o", str(out))
    assert result.exit_code == 0, result.output
    total = pl.read_csv(out).filter(pl.col("programme") == "ALL").row(0, named=True)
    assert (total["projects"], total["contribution_workdays"]) == (347, 209_000)

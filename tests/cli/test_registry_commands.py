"""`ansinh init`, `template` and `import`: the registry's commands and their exit statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import family, write_csv
from tests.cli.conftest import Cli


def test_init_creates_the_database_with_the_official_units(cli: Cli, tmp_path: Path) -> None:
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ansinh.db").exists()
    assert "3356" in result.output.replace(",", "").replace(".", "")
    again = cli("init")
    assert again.exit_code == 0 and " 0 " in again.output


def test_template_writes_csv_and_xlsx(cli: Cli, tmp_path: Path) -> None:
    for name in ("mau.csv", "mau.xlsx"):
        result = cli("template", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0
    header = (tmp_path / "mau.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("person_id,household_id,full_name,birth_date,sex,citizen_id")


def test_import_then_reimport_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ho.csv", family())
    first = cli("import", str(path))
    assert first.exit_code == 0, first.output
    second = cli("import", str(path))
    assert second.exit_code == 0, second.output
    assert "0" in second.output


def test_bad_file_exits_2_naming_row_and_column(cli: Cli, tmp_path: Path) -> None:
    rows = family()
    rows[2]["birth_date"] = "2001-02-30"
    result = cli("import", str(write_csv(tmp_path / "ho.csv", rows)))
    assert result.exit_code == 2
    assert "ho.csv, dòng/row 4, cột/column birth_date" in result.output
    assert "Traceback" not in result.output


def test_missing_file_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "khong-co.csv"))
    assert result.exit_code == 2
    assert "File not found" in result.output


def test_the_installed_entry_point_answers_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ansinh", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for command in ("init", "import", "template", "classify", "mpi", "review", "report"):
        assert command in done.stdout


def test_backup_then_restore_brings_the_registry_back(cli: Cli, tmp_path: Path) -> None:
    from tests.builders import family, write_csv

    assert cli("init").exit_code == 0
    assert cli("import", str(write_csv(tmp_path / "h.csv", family()))).exit_code == 0
    assert cli("backup", str(tmp_path / "a.backup")).exit_code == 0
    assert cli("import", str(write_csv(tmp_path / "h2.csv", family()[:1]))).exit_code == 0
    assert cli("restore", str(tmp_path / "a.backup"), "--yes").exit_code == 0
    refused = cli("restore", str(tmp_path / "h.csv"), "--yes")
    assert refused.exit_code == 2 and "Not a backup" in refused.output

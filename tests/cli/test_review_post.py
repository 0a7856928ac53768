"""`ansinh review post`: the lists a commune posts publicly (DESIGN.md's contract), with nothing
a neighbour should not see, and the households that left poverty or near-poverty."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from tests.builders import KHAO_MANG, family, survey, write_csv
from tests.cli.conftest import Cli


@pytest.fixture
def reviewed(cli: Cli, tmp_path: Path) -> Cli:
    assert cli("import", str(write_csv(tmp_path / "h.csv", family()))).exit_code == 0
    two_years = [
        survey("H1", 1_200_000, {"water", "sanitation", "telecom"}, year=2024),
        survey("H1", 1_400_000, set(), year=2025),  # poor in 2024, near-poor in 2025
    ]
    assert cli("import", str(write_csv(tmp_path / "s.csv", two_years))).exit_code == 0
    for year in ("2024", "2025"):
        assert cli("review", "--year", year).exit_code == 0
    return cli


def test_the_csv_has_the_contract_columns_and_no_personal_data(
    reviewed: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "niem-yet.csv"
    result = reviewed("review", "post", "--commune", KHAO_MANG, "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows == [
        {"village": "Thôn 1", "head_name": "Giàng A Páo", "status": "near_poor"},
        {"village": "Thôn 1", "head_name": "Giàng A Páo", "status": "exited_poverty"},
    ]
    text = out.read_text(encoding="utf-8")
    assert "015070000123" not in text and "1970" not in text and "H1" not in text


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_the_printable_lists_say_they_are_a_draft(
    reviewed: Cli, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"niem-yet{suffix}"
    result = reviewed("review", "post", "--commune", KHAO_MANG, "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


def test_a_bad_suffix_or_commune_is_exit_2(reviewed: Cli, tmp_path: Path) -> None:
    bad = reviewed(
        "review", "post", "--commune", KHAO_MANG, "--year", "2025", "-o", str(tmp_path / "x.doc")
    )
    assert bad.exit_code == 2 and not (tmp_path / "x.doc").exists()
    unknown = reviewed(
        "review", "post", "--commune", "99999", "--year", "2025", "-o", str(tmp_path / "x.csv")
    )
    assert unknown.exit_code == 2 and "--commune" in unknown.output


def test_every_commune_of_a_province_at_once(reviewed: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "niem-yet"
    args = ("review", "post-all", "--unit", "15", "--year", "2025", "-o", str(folder))
    result = reviewed(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    files = sorted(folder.glob("niem-yet-*-2025.csv"))
    assert len(files) > 90  # every commune of Lào Cai, those with nothing on a list too
    ours = (folder / f"niem-yet-{KHAO_MANG}-2025.csv").read_text(encoding="utf-8")
    single = tmp_path / "one.csv"
    post = ("review", "post", "--commune", KHAO_MANG, "--year", "2025", "-o", str(single))
    assert reviewed(*post).exit_code == 0
    assert ours == single.read_text(encoding="utf-8")
    bad = reviewed(*args, "--format", "doc")
    assert bad.exit_code == 2 and "--format" in bad.output


def test_every_commune_printed_at_once_in_processes_of_their_own(
    reviewed: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    args = ("review", "post-all", "--unit", "15", "--year", "2025", "-o", str(folder))
    result = reviewed(*args, "--format", "pdf")
    assert result.exit_code == 0, result.output
    files = sorted(folder.glob("niem-yet-*-2025.pdf"))
    assert len(files) > 90 and not list(folder.glob(".*.part"))
    # each a whole A4 PDF: four lists, a page each at least
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    ours = (folder / f"niem-yet-{KHAO_MANG}-2025.pdf").read_bytes()
    assert len(re.findall(rb"/Type /Page\b", ours)) == 4

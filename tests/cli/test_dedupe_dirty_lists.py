"""Dirty lists from other agencies: a bad value is a finding, not a reason to refuse the file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.cli.conftest import Cli

import ansinh.cli.inspection  # noqa: F401  (registers the commands)

DIRTY = """person_id,full_name,birth_date,sex,citizen_id,commune_code,source
h1,Nguyễn Văn Hùng,1958-03-12,M,001058012345,04465,registry
h2,Giàng A Páo,1949-01-01,M,010049022222,04465,registry
a1,NGUYỄN VĂN HÙNG,12/03/1958,Nam,00105801234,4465,assistance
a2,Giàng  A Páo,1949-01-01,X,0100490222A2,04465,assistance
a3,Lò Thị Bình,31/02/2014,F,015 214 697 169,04465,assistance
"""


def _dirty(tmp_path: Path) -> Path:
    source = tmp_path / "list.csv"
    source.write_text(DIRTY, encoding="utf-8")
    return source


def test_a_dirty_list_is_linked_and_its_findings_written_beside_the_pairs(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("dedupe", str(_dirty(tmp_path)), "--pairs", "pairs.csv", "--clusters", "c.csv")
    assert result.exit_code == 0, result.output
    pairs = pl.read_csv(tmp_path / "pairs.csv", infer_schema=False)
    assert pairs.columns == ["person_id_l", "person_id_r", "match_probability"]
    found = {tuple(sorted(r)) for r in pairs.select("person_id_l", "person_id_r").iter_rows()}
    # a1: ID of 11 digits left out, date read as 1958-03-12; a2: its ID with a letter left out.
    assert found == {("a1", "h1"), ("a2", "h2")}
    clusters = pl.read_csv(tmp_path / "c.csv", infer_schema=False)
    assert clusters.columns == ["person_id", "cluster_id"] and clusters.height == 5
    warnings = pl.read_csv(tmp_path / "pairs.warnings.csv", infer_schema=False)
    assert warnings.columns == ["file", "row", "column", "reason"]
    by_place = {(r["row"], r["column"]): r["reason"] for r in warnings.iter_rows(named=True)}
    assert "has 11 digits" in by_place[("4", "citizen_id")]
    assert "read as 1958-03-12" in by_place[("4", "birth_date")]
    assert "all in capitals" in by_place[("4", "full_name")]
    assert "other characters" in by_place[("5", "citizen_id")]
    assert "stray spaces" in by_place[("5", "full_name")]
    assert "Sex cannot be read 'X'" in by_place[("5", "sex")]
    assert "cannot be read '31/02/2014'" in by_place[("6", "birth_date")]
    assert "read as 015214697169" in by_place[("6", "citizen_id")]
    assert "Giới tính không đọc được" in by_place[("5", "sex")]  # Vietnamese first
    assert set(warnings["file"]) == {str(tmp_path / "list.csv")}


def test_the_findings_go_where_warnings_says(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "dedupe", str(_dirty(tmp_path)), "--pairs", "p.csv", "--clusters", "c.csv",
        "--warnings", "found.csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pl.read_csv(tmp_path / "found.csv").height == 8
    assert not (tmp_path / "p.warnings.csv").exists()


def test_strict_refuses_the_dirty_list_naming_file_row_and_column(cli: Cli, tmp_path: Path) -> None:
    result = cli("dedupe", str(_dirty(tmp_path)), "--pairs", "p.csv", "--clusters", "c.csv",
                 "--strict")  # fmt: skip
    assert result.exit_code == 2
    assert "row 4" in result.output and "citizen_id" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "p.warnings.csv").exists()


def test_a_repeated_person_id_still_refuses_the_file(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("person_id,full_name\np1,Hùng\np1,Lan\n", encoding="utf-8")
    result = cli("dedupe", str(source), "--pairs", "p.csv", "--clusters", "c.csv")
    assert result.exit_code == 2 and "person_id" in result.output

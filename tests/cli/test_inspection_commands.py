"""`ansinh dedupe` and `ansinh inspect` as DESIGN.md states them: files out, exit 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.builders import person, write_csv
from tests.cli.conftest import Cli
from tests.linkage.people import ASSISTANCE, REGISTRY, SAME_PERSON, people

import ansinh.cli.inspection  # noqa: F401  (registers the commands until commands.py does)


def test_dedupe_writes_pairs_and_a_cluster_for_everyone(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    people(REGISTRY, ASSISTANCE).write_csv(source)
    result = cli("dedupe", str(source), "--pairs", "pairs.csv", "--clusters", "clusters.csv")
    assert result.exit_code == 0, result.output
    pairs = pl.read_csv(tmp_path / "pairs.csv", infer_schema=False)
    assert pairs.columns == ["person_id_l", "person_id_r", "match_probability"]
    found = {tuple(sorted(r)) for r in pairs.select("person_id_l", "person_id_r").iter_rows()}
    assert found == SAME_PERSON
    assert pairs["match_probability"].cast(pl.Float64).min() >= 0.9  # type: ignore[operator]
    clusters = pl.read_csv(tmp_path / "clusters.csv", infer_schema=False)
    assert clusters.columns == ["person_id", "cluster_id"]
    assert clusters.height == len(REGISTRY) + len(ASSISTANCE)


def test_dedupe_threshold_keeps_only_pairs_at_or_above_it(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    people(REGISTRY, ASSISTANCE).write_csv(source)
    result = cli(
        "dedupe", str(source), "--pairs", "p.csv", "--clusters", "c.csv", "--threshold", "0.999"
    )
    assert result.exit_code == 0, result.output
    pairs = pl.read_csv(tmp_path / "p.csv")
    assert 0 < pairs.height < len(SAME_PERSON)
    assert pairs["match_probability"].min() >= 0.999  # type: ignore[operator]


def test_dedupe_of_a_bad_file_exits_2_naming_row_and_column(cli: Cli, tmp_path: Path) -> None:
    # --strict keeps the behaviour of wave 1; without it a bad value is a finding (below).
    source = tmp_path / "people.csv"
    source.write_text("person_id,full_name,birth_date\np1,Hùng,1990-02-31\n", encoding="utf-8")
    result = cli("dedupe", str(source), "--pairs", "p.csv", "--clusters", "c.csv", "--strict")
    assert result.exit_code == 2
    assert "row 2" in result.output and "birth_date" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "c.csv").exists()


def test_dedupe_with_an_unknown_engine_exits_2(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    people(REGISTRY).write_csv(source)
    result = cli("dedupe", str(source), "--pairs", "p", "--clusters", "c", "--engine", "oracle")
    assert result.exit_code == 2
    assert "duckdb" in result.output


def _registry_with_a_duplicate(cli: Cli, tmp_path: Path) -> None:
    rows = [
        person(
            "R1",
            "H1",
            "Nguyễn Văn Hùng",
            "head",
            birth_date="1950-03-12",
            sex="M",
            social_assistance_category="elderly_poor",
            source="registry",
        ),
        person(
            "A1",
            "H2",
            "NGUYỄN VĂN HÙNG",
            "head",
            birth_date="1950-03-12",
            sex="M",
            social_assistance_category="elderly_poor",
            source="assistance",
        ),
        person("R2", "H3", "Nguyễn Văn Hùng", "head", birth_date="1990-07-01", sex="M"),
    ]
    assert cli("init").exit_code == 0
    assert cli("import", str(write_csv(tmp_path / "h.csv", rows))).exit_code == 0


def test_inspect_queues_duplicates_and_overlaps_of_the_registry(cli: Cli, tmp_path: Path) -> None:
    _registry_with_a_duplicate(cli, tmp_path)
    result = cli("inspect", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "social_assistance_rules" in result.output


def test_an_inspector_rejects_a_queued_pair_and_it_stays_rejected(cli: Cli, tmp_path: Path) -> None:
    _registry_with_a_duplicate(cli, tmp_path)
    assert cli("inspect", "--year", "2025").exit_code == 0
    shown = cli("queue")
    assert shown.exit_code == 0, shown.output
    assert "1 cặp chờ / pairs pending" in shown.output
    assert "same date of birth" in shown.output  # the evidence, field by field
    assert "A1 Nguyễn Văn Hùng ↔ R1 Nguyễn Văn Hùng" in shown.output  # names as registered
    assert cli("decide", "1", "reject", "--note", "namesakes").exit_code == 0
    assert cli("inspect", "--year", "2025").exit_code == 0
    assert "0 cặp chờ / pairs pending" in cli("queue").output


def test_deciding_an_unknown_pair_or_with_a_bad_word_exits_2(cli: Cli, tmp_path: Path) -> None:
    _registry_with_a_duplicate(cli, tmp_path)
    assert cli("decide", "99", "reject").exit_code == 2
    assert cli("decide", "1", "maybe").exit_code == 2


def test_an_inspector_concludes_an_overlap_and_the_conclusion_holds(
    cli: Cli, tmp_path: Path
) -> None:
    _registry_with_a_duplicate(cli, tmp_path)
    assert cli("inspect", "--year", "2025").exit_code == 0
    listed = cli("overlaps")
    assert listed.exit_code == 0, listed.output
    # Decree 20/2021/ND-CP Art. 6(2): one monthly social-assistance level, by its name.
    assert "Trợ cấp xã hội" in listed.output and "social_assistance_rules" not in listed.output
    assert cli("decide-overlap", "1", "confirm", "--note", "dừng một mức").exit_code == 0
    assert cli("inspect", "--year", "2025").exit_code == 0  # a new run finds it again
    again = cli("overlaps")
    assert "confirm" in again.output
    assert cli("decide-overlap", "999", "confirm").exit_code == 2
    assert cli("decide-overlap", "1", "merge").exit_code == 2

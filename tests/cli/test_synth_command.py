"""`ansinh synth`: files with --out, loading into the registry, and --if-empty."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli


def test_out_writes_every_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "province"
    result = cli(
        "synth", "--province", "15", "--households", "50", "--seed", "2", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"households.csv", "surveys.csv", "people.csv", "truth.csv"} <= names
    assert {"list_meritorious.csv", "list_social_assistance.csv"} <= names


def test_loads_once_with_if_empty(cli: Cli) -> None:
    args = ("synth", "--province", "15", "--households", "30", "--seed", "1", "--if-empty")
    first = cli(*args)
    assert first.exit_code == 0, first.output
    assert "30 hộ / households" in first.output
    second = cli(*args)
    assert second.exit_code == 0
    assert "already holds households" in second.output


def test_unknown_province_is_a_clear_error(cli: Cli) -> None:
    result = cli("synth", "--province", "99", "--households", "10")
    assert result.exit_code == 2
    assert "--province" in result.output

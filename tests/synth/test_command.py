"""`ansinh synth` through Typer's runner: files with --out, the registry, --if-empty, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import ansinh.cli.synth  # noqa: F401  (registers the command even before cli/commands.py does)
from ansinh.cli import _register, app
from ansinh.config import get_settings
from ansinh.io.importer import import_file
from ansinh.store.db import make_engine
from ansinh.store.schema import prepare
from ansinh.store.scope import Scope
from ansinh.workflows.decisions import import_decisions_file


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'ansinh.db'}"
    monkeypatch.setenv("ANSINH_DATABASE_URL", url)
    get_settings.cache_clear()
    _register()  # with the other commands, `synth` is a subcommand of `ansinh`
    yield url
    get_settings.cache_clear()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["synth", *args])


def test_out_writes_files_that_import_cleanly(database: str, tmp_path: Path) -> None:
    out = tmp_path / "tinh"
    result = run("--province", "15", "--households", "120", "--seed", "4", "--out", str(out))
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert names == {
        "households.csv",
        "surveys.csv",
        "list_meritorious.csv",
        "list_social_assistance.csv",
        "list_health_insurance.csv",
        "people.csv",
        "truth.csv",
        "decisions.csv",
        "disadvantaged_communes.csv",
    }
    header = (out / "people.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "person_id,household_id,full_name,birth_date,sex,citizen_id,commune_code,address,source"
    )
    engine = make_engine(url=database)
    prepare(engine)
    assert import_file(engine, out / "households.csv", actor="test").problems == []
    assert import_file(engine, out / "surveys.csv", actor="test").problems == []
    decided = import_decisions_file(
        engine, out / "decisions.csv", actor="test", scope=Scope(None, None)
    )
    assert decided.new + decided.changed == decided.rows > 0
    engine.dispose()


def test_loads_the_registry_then_if_empty_leaves_it(database: str) -> None:
    args = ("--province", "15", "--households", "60", "--seed", "2", "--if-empty")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "60 hộ / households" in first.output
    second = run(*args)
    assert second.exit_code == 0, second.output
    assert "already holds households" in second.output


def test_bad_input_exits_2_with_a_message(database: str) -> None:
    unknown = run("--province", "99", "--households", "10")
    assert unknown.exit_code == 2
    assert "unknown province code" in unknown.output
    too_many = run("--province", "15", "--households", "0")
    assert too_many.exit_code == 2
    assert "Households must be between 1 and 1,000,000" in too_many.output
    no_standard = run("--province", "15", "--households", "10", "--year", "2019")
    assert no_standard.exit_code == 2
    assert "no poverty standard" in no_standard.output
    assert "Traceback" not in unknown.output + too_many.output + no_standard.output

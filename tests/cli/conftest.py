"""Running the `ansinh` command line in-process against a fresh SQLite registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ansinh.cli import _register, app
from ansinh.config import get_settings


@dataclass
class Cli:
    runner: CliRunner

    def __call__(self, *args: str, stdin: str | None = None) -> Result:
        return self.runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    monkeypatch.setenv("ANSINH_DATABASE_URL", f"sqlite:///{tmp_path / 'ansinh.db'}")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    _register()
    yield Cli(CliRunner())
    get_settings.cache_clear()

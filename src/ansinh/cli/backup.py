"""`ansinh backup FILE` and `ansinh restore FILE`: the whole registry to a file and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ansinh.cli import app
from ansinh.cli.common import console, report_input_errors
from ansinh.store import backup as backups
from ansinh.store.db import make_engine


@app.command("backup")
@report_input_errors
def backup(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu / backup file")],
) -> None:
    """Sao lưu cả cơ sở dữ liệu / back the whole registry up to FILE (while it is in use)."""
    engine = make_engine()
    backups.backup(engine, file)
    console.print(f"Đã sao lưu / backed up: {file}", markup=False)


@app.command("restore")
@report_input_errors
def restore(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu / backup file")],
    yes: Annotated[bool, typer.Option("--yes", help="Không hỏi lại / do not ask")] = False,
) -> None:
    """Khôi phục từ bản sao lưu / make the registry what FILE holds (replaces everything)."""
    if not yes:
        typer.confirm("Thay toàn bộ cơ sở dữ liệu? / replace the whole registry?", abort=True)
    engine = make_engine()
    backups.restore(engine, file)
    console.print(f"Đã khôi phục / restored: {file}", markup=False)

"""Commands on the registry itself: create it, import files into it, download templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ansinh.cli import app
from ansinh.cli.common import (
    advance_rows,
    console,
    open_engine,
    progress,
    report_input_errors,
)
from ansinh.config import get_settings
from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.io.template import KINDS, write_template
from ansinh.store.db import make_engine
from ansinh.store.frames import reporting_rows
from ansinh.store.schema import prepare


@app.command("init")
def init() -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu / create or migrate the database (ANSINH_DATABASE_URL)."""
    added = prepare(make_engine())
    console.print(f"Cơ sở dữ liệu sẵn sàng / database ready; {added} đơn vị mới / new units")


@app.command("import")
@report_input_errors
def import_(
    file: Annotated[
        Path, typer.Argument(help="Tệp CSV/XLSX theo mẫu / CSV or XLSX in the template")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra / check only")] = False,
    keep_good: Annotated[
        bool, typer.Option("--keep-good", help="Ghi các dòng đúng / commit the good rows")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Tệp ghi các dòng bị loại / file for rejected rows")
    ] = None,
) -> None:
    """Nhập hộ, thành viên hoặc phiếu rà soát / import households and members, or questionnaires.

    All or nothing: any error is listed (file, row, column, reason) and nothing is written,
    unless --keep-good, which writes the good rows and the rejected ones to --rejects.
    """
    if keep_good and rejects is None:
        raise InputError.single(
            str(file), "--keep-good cần --rejects TỆP", "--keep-good needs --rejects FILE"
        )
    engine = open_engine()
    with progress() as bar, reporting_rows(advance_rows(bar, f"Đang nhập / importing {file.name}")):
        result = import_file(
            engine,
            file,
            actor=get_settings().actor,
            dry_run=dry_run,
            keep_good=keep_good,
            rejects=rejects,
        )
    table = Table(
        title=f"{file.name}: {result.rows} dòng / rows" + (" (dry run)" if dry_run else "")
    )
    table.add_column("")
    table.add_column("", justify="right")
    for name, count in result.counts.items():
        table.add_row(name, f"{count:,}")
    if result.rejected_rows:
        table.add_row("rejected_rows", f"{len(result.rejected_rows):,}")
    console.print(table)
    if result.problems:
        console.print(f"{len(result.problems)} lỗi / problems → {rejects}", markup=False)


@app.command("template")
def template(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Tệp .csv hoặc .xlsx / output file")
    ],
    kind: Annotated[str, typer.Option(help="households | survey")] = "households",
) -> None:
    """Ghi mẫu tệp nhập / write the import template (CSV header or a workbook with guidance)."""
    if kind not in KINDS:
        console.print(f"--kind phải là / must be one of: {', '.join(KINDS)}")
        raise typer.Exit(2)
    write_template(output, kind)
    console.print(f"Đã ghi / written: {output}")

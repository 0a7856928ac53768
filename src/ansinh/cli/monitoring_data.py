"""`ansinh monitoring …`: monitoring data loaded into the registry and kept there all year."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine, func, select

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.config import get_settings
from ansinh.domain.monitoring.projects import project_report
from ansinh.errors import InputError
from ansinh.io.monitoring.export import write_report
from ansinh.store import monitoring as stored
from ansinh.store.monitoring_indicators import feed_targets
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_kinds import KINDS
from ansinh.workflows.monitoring_load import Loader, kind_of, load_file

monitoring_app = typer.Typer(
    help="Dữ liệu theo dõi trong sổ / monitoring data in the registry", no_args_is_help=True
)
app.add_typer(monitoring_app, name="monitoring")
KIND_HELP = ", ".join(KINDS)


def cli_loader() -> Loader:
    """The command line loads as the configured actor, over every unit."""
    return Loader(get_settings().actor, None, Scope(None, None))


@monitoring_app.command("load")
@report_input_errors
def load(
    kind: Annotated[str, typer.Argument(help=f"Loại / kind: {KIND_HELP}")],
    file: Annotated[Path, typer.Argument(help="CSV/XLSX (targets: also a shipped target set id)")],
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            help="Đơn vị giữ các mã không có trong sổ (mã cũ, mã địa phương) / the unit that "
            "keeps codes the registry does not hold (pre-2025 or local codes)",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ kiểm tra / check only, store nothing")
    ] = False,
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Chỉ nạp khi chưa có dữ liệu loại này / only if none held"),
    ] = False,
) -> None:
    """Nạp tệp theo dõi vào sổ / load a monitoring file into the registry.

    A file speaks for the units and keys it names: loading it again changes nothing, a corrected
    row updates only its record, and a unit's rows the file leaves out of a group it names (a
    unit's plan for a year, a commune's evaluation of a year) are deleted; every change audited.
    """
    engine = open_engine()
    if if_empty and _held(engine, kind):
        console.print(f"Đã có dữ liệu / already held: {kind} — bỏ qua / skipped")
        return
    result = load_file(engine, kind, file, cli_loader(), within=within, dry_run=dry_run)
    counts = result.counts
    checked = " (kiểm tra, chưa lưu / checked, nothing stored)" if dry_run else ""
    console.print(
        f"{result.rows:,} dòng / rows: {counts['create']:,} mới / created, "
        f"{counts['update']:,} sửa / updated, {counts['delete']:,} xóa / deleted, "
        f"{result.unchanged:,} không đổi / unchanged{checked}",
        soft_wrap=True,
    )


def _held(engine: Engine, kind: str) -> bool:
    table = kind_of(kind, kind).rows.table
    with engine.connect() as connection:
        return bool(connection.scalar(select(func.count()).select_from(table)))


@monitoring_app.command("feed")
@report_input_errors
def feed() -> None:
    """Số liệu mục tiêu từ sổ / observe the targets that name a registry indicator.

    Each review does it too (`ansinh review`); this runs it again, e.g. after loading targets.
    """
    with open_engine().begin() as connection:
        counts = feed_targets(connection, get_settings().actor)
    console.print(
        f"{counts['create']:,} mới / created, {counts['update']:,} sửa / updated", soft_wrap=True
    )


# The example files of the demo province (data/monitoring/examples/README.md): Lào Cai's 2024
# capital and new-rural figures (seed 002) and its target sets.
DEMO = (
    ("plans", "lao-cai-2024-plans.csv"),
    ("disbursements", "lao-cai-2024-disbursements.csv"),
    ("ntm-evaluations", "lao-cai-ntm-evaluations.csv"),
    ("ntm-recognitions", "lao-cai-ntm-recognitions.csv"),
    ("projects", "lao-cai-2024-projects.csv"),
    ("targets", "lao-cai-ntp-2025"),
    ("targets", "lao-cai-2030"),
)


@monitoring_app.command("demo")
@report_input_errors
def demo(
    within: Annotated[str, typer.Option("--within", help="Tỉnh / province")] = "15",
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Chỉ khi sổ chưa có kế hoạch vốn / only if none")
    ] = False,
) -> None:
    """Nạp dữ liệu mẫu / load the example monitoring files for the demo province."""
    engine = open_engine()
    if if_empty and _held(engine, "plans"):
        console.print("Đã có dữ liệu theo dõi / monitoring data already held — bỏ qua / skipped")
        return
    examples = resources.files("ansinh").joinpath("data", "monitoring", "examples")
    for kind, name in DEMO:
        path = Path(str(examples.joinpath(name))) if name.endswith(".csv") else Path(name)
        result = load_file(engine, kind, path, cli_loader(), within=within)
        console.print(f"{kind}: {result.rows:,} dòng / rows", soft_wrap=True)


@monitoring_app.command("projects")
@report_input_errors
def projects(
    by: Annotated[
        str, typer.Option("--by", help="programme | unit (đơn vị / the unit kept under)")
    ] = "programme",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="OUT.csv | OUT.xlsx")
    ] = None,
) -> None:
    """Dự án và đóng góp theo chương trình, đơn vị / projects and contributions by programme."""
    if by not in ("programme", "unit"):
        raise InputError.single("--by", "Phải là programme hoặc unit", "Must be programme or unit")
    with open_engine().connect() as connection:
        held = stored.load_projects(connection)
        scopes = stored.project_scopes(connection)
    if by == "unit":
        held = held.join(scopes, on="project_code").rename({"scope_code": "unit_code"})
    report = project_report(held, ["programme" if by == "programme" else "unit_code"])
    title = "Dự án và đóng góp / projects and contributions"
    if output is None:
        Console(width=160).print(report)
        return
    write_report(output, report, title, [])
    console.print(f"{report.height:,} dòng / rows → {output}")

"""The `ansinh` command line: one Typer app, its commands grouped by part of the system."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="ansinh",
    help="An Sinh: hệ thống quản lý an sinh xã hội / social-protection management system.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported here so that each command module can import `app` from this package.
    from ansinh.cli import commands  # noqa: F401


def main() -> None:
    _register()
    app()

"""`ansinh db ...`: the database's own administration (PostgreSQL roles)."""

from __future__ import annotations

from typing import Annotated

import typer

from ansinh.cli import app
from ansinh.cli.common import console, report_input_errors
from ansinh.config import get_settings
from ansinh.store.db import make_engine
from ansinh.store.db_roles import SECRET_TABLES, grant_readonly

db_app = typer.Typer(help="Quản trị cơ sở dữ liệu / database administration", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("grant-readonly")
@report_input_errors
def grant_readonly_command(
    role: Annotated[str, typer.Argument(help="Vai trò PostgreSQL / PostgreSQL role, e.g. reports")],
) -> None:
    """Cho một vai trò chỉ đọc / let a PostgreSQL role read the registry for reports, never write.

    The role is created without login if it does not exist: give it a password and LOGIN with
    `ALTER ROLE name LOGIN PASSWORD '...'`. Accounts' passwords and tokens stay unreadable.
    """
    with make_engine().begin() as connection:
        tables = grant_readonly(connection, role, get_settings().actor)
    console.print(
        f"Vai trò / role {role}: đọc / reads {len(tables)} bảng / tables; "
        f"không đọc / not {', '.join(SECRET_TABLES)}; chỉ đọc / read-only",
        markup=False,
    )

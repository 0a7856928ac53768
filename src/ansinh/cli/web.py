"""`ansinh serve`, `ansinh user add` and `ansinh demo-users`: the web application and accounts."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Annotated

import typer
from sqlalchemy import Connection, func, select

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, report_input_errors
from ansinh.config import get_settings
from ansinh.errors import InputError
from ansinh.store import account_changes
from ansinh.store.accounts import ROLES, create_account, reset_account
from ansinh.store.db import make_engine
from ansinh.store.models import Household, Unit
from ansinh.web.security import is_loopback
from ansinh.web.server import prepare_database

user_app = typer.Typer(help="Tài khoản cán bộ / officers' accounts", no_args_is_help=True)
app.add_typer(user_app, name="user")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Địa chỉ / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Cổng / port")] = 8000,
    workers: Annotated[int, typer.Option(help="Số tiến trình / worker processes")] = 1,
) -> None:
    """Chạy ứng dụng web / run the web application (http://HOST:PORT)."""
    from ansinh.web.workers import serve as workers_serve

    engine = make_engine()
    prepare_database(engine)
    engine.dispose()
    # Secure cookies need HTTPS; on loopback, during development, there is none.
    os.environ.setdefault("ANSINH_SECURE_COOKIES", "false" if is_loopback(host) else "true")
    console.print(f"An Sinh: http://{host}:{port}", markup=False)
    # Forwarded headers are read by the application, from ANSINH_TRUSTED_PROXIES only.
    workers_serve(host, port, workers, log_level="warning", proxy_headers=False)


@user_app.command("add")
@report_input_errors
def user_add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập / username")],
    role: Annotated[str, typer.Option(help=f"Vai trò / role: {', '.join(ROLES)}")],
    unit: Annotated[
        list[str] | None, typer.Option(help="Mã đơn vị / unit code (repeat for several)")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ stdin / read the password")
    ] = False,
) -> None:
    """Tạo tài khoản / create an account; the password is read from standard input."""
    if not password_stdin:
        raise InputError.single(
            "--password-stdin",
            "Mật khẩu chỉ được đọc từ stdin: thêm --password-stdin",
            "The password is only read from standard input: add --password-stdin",
        )
    password = sys.stdin.readline().rstrip("\r\n")
    engine = open_engine()
    with engine.begin() as connection:
        create_account(connection, username, role, unit or [], password, get_settings().actor)
    console.print(f"Đã tạo / created: {username} ({role})", markup=False)


Username = Annotated[str, typer.Argument(help="Tên đăng nhập / username")]


@user_app.command("disable")
@report_input_errors
def user_disable(username: Username) -> None:
    """Khóa tài khoản / disable an account: it cannot sign in, its sessions and tokens end."""
    with open_engine().begin() as connection:
        account_changes.set_active(connection, username, False, get_settings().actor)
    console.print(f"Đã khóa / disabled: {username}", markup=False)


@user_app.command("enable")
@report_input_errors
def user_enable(username: Username) -> None:
    """Mở lại tài khoản / enable a disabled account again."""
    with open_engine().begin() as connection:
        account_changes.set_active(connection, username, True, get_settings().actor)
    console.print(f"Đã mở lại / enabled: {username}", markup=False)


@user_app.command("revoke")
@report_input_errors
def user_revoke(username: Username) -> None:
    """Kết thúc mọi phiên và token / end every session and API token of an account."""
    with open_engine().begin() as connection:
        ended = account_changes.revoke(connection, username, get_settings().actor)
    console.print(f"Đã kết thúc / ended {ended}: {username}", markup=False)


@user_app.command("delete")
@report_input_errors
def user_delete(username: Username) -> None:
    """Xóa tài khoản / delete an account (the audit log keeps what it did)."""
    with open_engine().begin() as connection:
        account_changes.delete_account(connection, username, get_settings().actor)
    console.print(f"Đã xóa / deleted: {username}", markup=False)


def busiest_commune(connection: Connection, province: str) -> str:
    """The province's commune with the most households (the first commune if none has any)."""
    communes = select(Unit.code).where(Unit.parent_code == province, Unit.level == "commune")
    busiest = connection.scalar(
        select(Household.commune_code)
        .where(Household.commune_code.in_(communes))
        .group_by(Household.commune_code)
        .order_by(func.count().desc(), Household.commune_code)
        .limit(1)
    )
    first = connection.scalar(communes.order_by(Unit.code).limit(1))
    if busiest is None and first is None:
        raise InputError.single(
            "--province", f"Không có tỉnh '{province}'", f"No province '{province}'"
        )
    return str(busiest or first)


@app.command("demo-users")
@report_input_errors
def demo_users(
    province: Annotated[str, typer.Option(help="Mã tỉnh / province code")] = "15",
) -> None:
    """Tạo một tài khoản thử cho mỗi vai trò / one demo login per role (new passwords)."""
    engine = open_engine()
    actor = get_settings().actor
    with engine.begin() as connection:
        commune = busiest_commune(connection, province)
        logins = [
            ("tinh.quantri", "province_admin", [province]),
            ("tinh.xem", "province_viewer", [province]),
            ("xa.canbo", "commune_officer", [commune]),
            ("thanhtra", "inspector", [province]),
            ("quocgia.xem", "national_viewer", []),
        ]
        shown = []
        for username, role, units in logins:
            password = secrets.token_urlsafe(12)  # 16 characters
            reset_account(connection, username, role, units, password, actor)
            shown.append((username, role, ",".join(units), password))
    console.print("Tài khoản thử / demo logins:", markup=False)
    for username, role, codes, password in shown:
        console.print(f"  {username:14} {password:14} {role} ({codes})", markup=False)

"""`ansinh user add` (password from stdin only) and `ansinh demo-users` (one login per role)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import ansinh.cli.web  # noqa: F401  (registers serve, user and demo-users)
from ansinh.cli import app
from ansinh.config import get_settings
from ansinh.store.account_models import Account
from ansinh.store.db import make_engine


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("ANSINH_DATABASE_URL", f"sqlite:///{tmp_path / 'ansinh.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_user_add_reads_the_password_from_stdin(runner: CliRunner, tmp_path: Path) -> None:
    args = ["user", "add", "xa.khaomang", "--role", "commune_officer", "--unit", "04465"]
    done = runner.invoke(app, [*args, "--password-stdin"], input="mot-mat-khau-dai\n")
    assert done.exit_code == 0, done.output
    engine = make_engine(url=f"sqlite:///{tmp_path / 'ansinh.db'}")
    with engine.connect() as connection:
        stored = connection.scalar(select(Account.password_hash))
    assert stored is not None and stored.startswith("$argon2id$")
    again = runner.invoke(app, [*args, "--password-stdin"], input="mot-mat-khau-dai\n")
    assert again.exit_code == 2 and "already exists" in again.output


def test_user_add_refuses_bad_input_with_exit_2(runner: CliRunner) -> None:
    no_stdin = runner.invoke(app, ["user", "add", "ai.do", "--role", "inspector"])
    assert no_stdin.exit_code == 2 and "--password-stdin" in no_stdin.output
    officer_of_a_province = runner.invoke(
        app,
        ["user", "add", "ai.do", "--role", "commune_officer", "--unit", "15", "--password-stdin"],
        input="mot-mat-khau-dai\n",
    )
    assert officer_of_a_province.exit_code == 2 and "commune" in officer_of_a_province.output
    short = runner.invoke(
        app, ["user", "add", "ai.do", "--role", "inspector", "--password-stdin"], input="ngan\n"
    )
    assert short.exit_code == 2 and "password" in short.output


def test_demo_users_prints_one_login_per_role(runner: CliRunner) -> None:
    done = runner.invoke(app, ["demo-users", "--province", "15"])
    assert done.exit_code == 0, done.output
    for role in ("province_admin", "province_viewer", "commune_officer", "inspector", "national"):
        assert role in done.output
    assert runner.invoke(app, ["demo-users"]).exit_code == 0  # again: new passwords, no error


def test_an_account_is_disabled_revoked_and_deleted_with_audit(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Trust issue, item 9: no command to disable or delete an account or end its sessions."""
    from sqlalchemy import func

    from ansinh.store.account_models import AccountToken
    from ansinh.store.accounts import authenticate, issue_token
    from ansinh.store.models import AuditEntry
    from ansinh.web.security import SESSION_LIFETIME

    args = ["user", "add", "can.bo", "--role", "inspector", "--password-stdin"]
    assert runner.invoke(app, args, input="mot-mat-khau-dai\n").exit_code == 0
    engine = make_engine()

    def tokens() -> int:
        with engine.begin() as connection:
            return int(connection.scalar(select(func.count()).select_from(AccountToken)) or 0)

    def issue() -> None:
        with engine.begin() as connection:
            account = authenticate(connection, "can.bo", "mot-mat-khau-dai")
            assert account is not None
            issue_token(connection, account.id, "session", SESSION_LIFETIME)

    issue()
    assert runner.invoke(app, ["user", "revoke", "can.bo"]).exit_code == 0 and tokens() == 0
    issue()
    assert runner.invoke(app, ["user", "disable", "can.bo"]).exit_code == 0 and tokens() == 0
    with engine.connect() as connection:
        assert authenticate(connection, "can.bo", "mot-mat-khau-dai") is None
    assert runner.invoke(app, ["user", "enable", "can.bo"]).exit_code == 0
    issue()
    assert runner.invoke(app, ["user", "delete", "can.bo"]).exit_code == 0 and tokens() == 0
    with engine.connect() as connection:
        assert connection.scalar(select(Account.id)) is None
        actions = list(
            connection.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "account")
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["create", "revoke", "disable", "enable", "delete"]
    missing = runner.invoke(app, ["user", "delete", "can.bo"])
    assert missing.exit_code == 2 and "No account" in missing.output

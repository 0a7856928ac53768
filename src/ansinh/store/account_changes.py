"""An account's life after it is made: disabled or enabled again, its sessions and tokens
revoked, deleted; each audited, none touching what the account did (the log keeps its name)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select, update

from ansinh.errors import InputError
from ansinh.store.account_models import Account, AccountToken, AccountUnit
from ansinh.store.audit import record_change


def _account(connection: Connection, username: str) -> tuple[int, str | None]:
    """The account's id and its only unit (the unit its changes are logged under)."""
    found = connection.scalar(select(Account.id).where(Account.username == username))
    if found is None:
        raise InputError.single(
            "account", f"Không có tài khoản '{username}'", f"No account '{username}'",
            column="username",
        )  # fmt: skip
    units = list(
        connection.scalars(select(AccountUnit.unit_code).where(AccountUnit.account_id == found))
    )
    return int(found), units[0] if len(units) == 1 else None


def revoke(connection: Connection, username: str, actor: str) -> int:
    """End every session and API token of the account; how many there were."""
    account, unit = _account(connection, username)
    ended = _revoke_all(connection, account)
    record_change(
        connection, actor=actor, action="revoke", entity="account", key=username,
        after={"sessions_and_tokens_ended": ended}, unit_code=unit,
    )  # fmt: skip
    return ended


def set_active(connection: Connection, username: str, active: bool, actor: str) -> None:
    """Disable (its sessions and tokens end) or enable the account."""
    account, unit = _account(connection, username)
    connection.execute(update(Account).where(Account.id == account).values(active=active))
    ended = 0 if active else _revoke_all(connection, account)
    record_change(
        connection, actor=actor, action="enable" if active else "disable", entity="account",
        key=username, after={"active": active, "sessions_and_tokens_ended": ended},
        unit_code=unit,
    )  # fmt: skip


def delete_account(connection: Connection, username: str, actor: str) -> None:
    """Delete the account, its units and its sessions; the audit log keeps what it did."""
    account, unit = _account(connection, username)
    before = connection.execute(
        select(Account.username, Account.role).where(Account.id == account)
    ).one()
    _revoke_all(connection, account)
    connection.execute(delete(AccountUnit).where(AccountUnit.account_id == account))
    connection.execute(delete(Account).where(Account.id == account))
    record_change(
        connection, actor=actor, action="delete", entity="account", key=username,
        before={"username": before.username, "role": before.role}, unit_code=unit,
    )  # fmt: skip


def _revoke_all(connection: Connection, account: int) -> int:
    count = connection.scalar(
        select(func.count()).select_from(AccountToken).where(AccountToken.account_id == account)
    )
    connection.execute(delete(AccountToken).where(AccountToken.account_id == account))
    return int(count or 0)

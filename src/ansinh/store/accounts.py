"""Accounts: roles and what each may do, Argon2 passwords, sign-in tokens, failed sign-ins."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from ansinh.domain.passwords import password_problem
from ansinh.errors import InputError
from ansinh.store.account_models import Account, AccountToken, AccountUnit, LoginFailure
from ansinh.store.audit import now, record_change
from ansinh.store.models import Unit


@dataclass(frozen=True)
class Role:
    code: str
    name_vi: str
    name_en: str
    edits: bool = False  # registers and edits households, imports files
    sees_citizen_ids: bool = False
    reads_audit: bool = False  # the whole audit log, not only a household's history
    reviews: bool = False  # works the review queue (duplicates, overlaps)
    needs_communes: bool = False  # must be given communes, and sees nothing else
    approves: bool = False  # approves the payrolls its communes prepare
    national: bool = False  # sees the whole country: given no unit, or the country itself


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role("province_admin", "Quản trị cấp tỉnh", "Province administrator", edits=True,
             sees_citizen_ids=True, reads_audit=True, approves=True),
        Role("province_viewer", "Xem báo cáo cấp tỉnh", "Province viewer"),
        Role("commune_officer", "Cán bộ xã", "Commune officer", edits=True,
             sees_citizen_ids=True, needs_communes=True),
        Role("inspector", "Thanh tra", "Inspector", sees_citizen_ids=True, reads_audit=True,
             reviews=True),
        # The ministry's reader: every province's households and reports, read-only.
        Role("national_viewer", "Xem báo cáo toàn quốc", "National viewer", national=True),
    )
}  # fmt: skip
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"
_hasher = PasswordHasher()
# Verified against when the username is unknown, so that the answer takes as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    role: str
    units: tuple[str, ...]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _account_problem(field: str, vi: str, en: str) -> InputError:
    return InputError.single("account", vi, en, column=field)


def check_new_account(
    connection: Connection, username: str, role: str, units: list[str], password: str
) -> None:
    """Every reason the account cannot be created, as an InputError naming the field."""
    if not re.match(USERNAME_PATTERN, username):
        raise _account_problem(
            "username",
            "Tên đăng nhập 3–64 ký tự: chữ thường không dấu, số, . _ -",
            "Username of 3-64 characters: lower-case letters, digits, . _ -",
        )
    if role not in ROLES:
        raise _account_problem(
            "role",
            f"Vai trò phải là: {', '.join(ROLES)}",
            f"Role must be one of: {', '.join(ROLES)}",
        )
    refused = password_problem(password, username)
    if refused is not None:
        raise _account_problem("password", *refused)
    _check_units(connection, ROLES[role], units)


def _check_units(connection: Connection, role: Role, units: list[str]) -> None:
    rows = connection.execute(select(Unit.code, Unit.level).where(Unit.code.in_(units)))
    levels = {code: level for code, level in rows}
    unknown = [u for u in units if u not in levels]
    if unknown:
        raise _account_problem(
            "unit", f"Không có đơn vị: {', '.join(unknown)}", f"Unknown unit: {', '.join(unknown)}"
        )
    if role.national and any(levels[u] != "country" for u in units):
        raise _account_problem(
            "unit",
            "Vai trò toàn quốc xem cả nước: không ghi --unit (hoặc ghi VN)",
            "A national role sees the whole country: give no --unit (or VN)",
        )
    if role.needs_communes and (not units or any(levels[u] != "commune" for u in units)):
        raise _account_problem(
            "unit",
            "Cán bộ xã cần --unit là mã xã (một hoặc nhiều)",
            "A commune officer needs --unit commune codes (one or more)",
        )


def create_account(
    connection: Connection, username: str, role: str, units: list[str], password: str, actor: str
) -> int:
    """A new account (audited, without the password); raises InputError if anything is wrong."""
    check_new_account(connection, username, role, units, password)
    if connection.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise _account_problem(
            "username", f"Đã có tài khoản '{username}'", f"Account '{username}' already exists"
        )
    account_id = connection.execute(
        insert(Account).returning(Account.id),
        {
            "username": username,
            "password_hash": hash_password(password),
            "role": role,
            "active": True,
            "created_at": now(),
        },
    ).scalar_one()
    _set_units(connection, account_id, units)
    after = {"username": username, "role": role, "units": units}
    record_change(
        connection, actor=actor, action="create", entity="account", key=username, after=after,
        unit_code=_unit_of(units),
    )  # fmt: skip
    return int(account_id)


def reset_account(
    connection: Connection, username: str, role: str, units: list[str], password: str, actor: str
) -> int:
    """Create the account, or give an existing one this role, these units and password."""
    existing = connection.scalar(select(Account.id).where(Account.username == username))
    if existing is None:
        return create_account(connection, username, role, units, password, actor)
    check_new_account(connection, username, role, units, password)
    connection.execute(
        update(Account)
        .where(Account.id == existing)
        .values(password_hash=hash_password(password), role=role, active=True)
    )
    connection.execute(delete(AccountUnit).where(AccountUnit.account_id == existing))
    _set_units(connection, existing, units)
    revoke_all(connection, existing)
    after = {"username": username, "role": role, "units": units, "password": "reset"}
    record_change(
        connection, actor=actor, action="update", entity="account", key=username, after=after,
        unit_code=_unit_of(units),
    )  # fmt: skip
    return int(existing)


def _unit_of(units: list[str]) -> str | None:
    """The unit an account's changes belong to: its only unit; several or none are the
    registry's (only a reader of the whole country sees them)."""
    return units[0] if len(units) == 1 else None


def _set_units(connection: Connection, account_id: int, units: list[str]) -> None:
    if units:
        rows = [{"account_id": account_id, "unit_code": u} for u in dict.fromkeys(units)]
        connection.execute(insert(AccountUnit), rows)


def authenticate(connection: Connection, username: str, password: str) -> AccountInfo | None:
    """The active account if the password is right; the same work is done either way."""
    row = connection.execute(
        select(Account.id, Account.password_hash, Account.role).where(
            Account.username == username, Account.active.is_(True)
        )
    ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        connection.execute(
            update(Account)
            .where(Account.id == row.id)
            .values(password_hash=hash_password(password))
        )
    return account_info(connection, row.id)


def account_info(connection: Connection, account_id: int) -> AccountInfo | None:
    row = connection.execute(
        select(Account.username, Account.role).where(
            Account.id == account_id, Account.active.is_(True)
        )
    ).first()
    if row is None:
        return None
    units = connection.scalars(
        select(AccountUnit.unit_code)
        .where(AccountUnit.account_id == account_id)
        .order_by(AccountUnit.unit_code)
    )
    return AccountInfo(account_id, row.username, row.role, tuple(units))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    csrf: str | None
    expires_at: datetime


def issue_token(
    connection: Connection, account_id: int, kind: str, lifetime: timedelta
) -> IssuedToken:
    """A new random secret; only its hash is stored, so a leaked table signs no one in."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32) if kind == "session" else None
    issued = now()
    connection.execute(
        insert(AccountToken),
        {
            "token_hash": _digest(token),
            "account_id": account_id,
            "kind": kind,
            "csrf": csrf,
            "created_at": issued,
            "expires_at": issued + lifetime,
        },
    )
    return IssuedToken(token, csrf, issued + lifetime)


@dataclass(frozen=True)
class TokenOwner:
    account: AccountInfo
    kind: str
    csrf: str | None


# Asked on every request: built once, the token, its active account and the account's units in
# one read (a row a unit; one row with no unit for an account of the whole country).
_TOKEN_OWNER = (
    select(
        AccountToken.account_id,
        AccountToken.kind,
        AccountToken.csrf,
        Account.username,
        Account.role,
        AccountUnit.unit_code,
    )
    .join(Account, Account.id == AccountToken.account_id)
    .outerjoin(AccountUnit, AccountUnit.account_id == Account.id)
    .where(
        AccountToken.token_hash == bindparam("digest"),
        AccountToken.expires_at > bindparam("now"),
        Account.active.is_(True),
    )
    .order_by(AccountUnit.unit_code)
)


def token_owner(connection: Connection, token: str) -> TokenOwner | None:
    """Who a session or API token belongs to, if it is known, not expired, and its account
    active."""
    rows = connection.execute(_TOKEN_OWNER, {"digest": _digest(token), "now": now()}).all()
    if not rows:
        return None
    first = rows[0]
    units = tuple(row.unit_code for row in rows if row.unit_code is not None)
    account = AccountInfo(first.account_id, first.username, first.role, units)
    return TokenOwner(account, first.kind, first.csrf)


def revoke_token(connection: Connection, token: str) -> None:
    connection.execute(delete(AccountToken).where(AccountToken.token_hash == _digest(token)))


def revoke_all(connection: Connection, account_id: int) -> None:
    connection.execute(delete(AccountToken).where(AccountToken.account_id == account_id))


def purge_expired(connection: Connection) -> None:
    connection.execute(delete(AccountToken).where(AccountToken.expires_at <= now()))


def count_attempt(
    connection: Connection, limits: dict[str, int], window: timedelta
) -> list[int] | None:
    """Count a sign-in attempt as a failure under each key, unless a key has had its limit of
    failures within `window`: then None, and nothing is counted. The attempt is written before
    the counts are read: SQLite lets one writer in at a time, and on PostgreSQL the keys are
    locked for the transaction, so two attempts never both see the count before the other."""
    if connection.dialect.name == "postgresql":
        for key in sorted(limits):
            connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(key[:120]))))
    stamp = now()
    ids = list(
        connection.scalars(
            insert(LoginFailure).returning(LoginFailure.id),
            [{"key": key[:120], "at": stamp} for key in limits],
        )
    )
    if any(recent_failures(connection, key, window) > limit for key, limit in limits.items()):
        forget_attempt(connection, ids)
        return None
    return ids


def forget_attempt(connection: Connection, ids: list[int]) -> None:
    connection.execute(delete(LoginFailure).where(LoginFailure.id.in_(ids)))


def recent_failures(connection: Connection, key: str, window: timedelta) -> int:
    since = now() - window
    count = connection.scalar(
        select(func.count()).where(LoginFailure.key == key[:120], LoginFailure.at > since)
    )
    return int(count or 0)


def clear_failures(connection: Connection, key: str) -> None:
    connection.execute(delete(LoginFailure).where(LoginFailure.key == key[:120]))

"""Cookies, CSRF tokens, sign-in throttling and masking: the web's security rules in one place."""

from __future__ import annotations

import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy import Engine

from ansinh.store import accounts
from ansinh.web.clients import client_address, served_over_https

SESSION_COOKIE = "ansinh_session"
LOGIN_COOKIE = "ansinh_login"  # the pre-session CSRF secret of the sign-in form
SESSION_LIFETIME = timedelta(hours=8)
API_TOKEN_LIFETIME = timedelta(hours=12)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20


@dataclass(frozen=True)
class CookiePolicy:
    """Secure cookies everywhere but on loopback during development."""

    secure: bool

    def secure_for(self, request: Request) -> bool:
        return self.secure or served_over_https(request)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None
) -> None:
    policy: CookiePolicy = request.app.state.cookies
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=policy.secure_for(request),
        path="/",
    )


def same_secret(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return secrets.compare_digest(given.encode(), expected.encode())


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def login_name(typed: str) -> str:
    """The username as looked up and counted. PostgreSQL refuses NUL in text (the API fuzz run
    found it): NUL becomes U+FFFD, which no username may contain, so such a login just fails."""
    return typed.replace("\x00", "\ufffd").strip().lower()[:64]


def throttle_limits(request: Request, username: str) -> dict[str, int]:
    """The failures allowed in the window per account and per client address (behind a trusted
    proxy, the client's own: else everyone behind it would share one count)."""
    return {
        f"user:{login_name(username)}": MAX_FAILURES_PER_USER,
        f"ip:{client_address(request)}": MAX_FAILURES_PER_CLIENT,
    }


@dataclass(frozen=True)
class SignIn:
    account: accounts.AccountInfo | None
    throttled: bool = False


def sign_in(engine: Engine, request: Request, username: str, password: str) -> SignIn:
    """Count the attempt as a failure first, atomically with the check of the limits, then
    check the password, and forget the attempt if it was right: 15 attempts at once were all
    checked against a limit of 5 when the check and the count were apart."""
    limits = throttle_limits(request, username)
    with engine.begin() as connection:
        attempt = accounts.count_attempt(connection, limits, FAILURE_WINDOW)
    if attempt is None:
        return SignIn(None, throttled=True)
    with engine.begin() as connection:
        account = accounts.authenticate(connection, login_name(username), password)
        if account is not None:
            accounts.forget_attempt(connection, attempt)
            accounts.clear_failures(connection, next(iter(limits)))
    return SignIn(account)


# Digits of a citizen ID left visible. The first six follow from the birth province, the sex and
# the birth year (Decree 137/2015/ND-CP Art. 13), which pages show: with the last three shown,
# nine of twelve digits were known. The last two alone are random.
SHOWN_DIGITS = 2


def mask_citizen_id(value: str | None) -> str | None:
    """All but the last two digits hidden: enough to tell two people apart on a list."""
    if not value:
        return value
    return "•" * (len(value) - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]


# The fields of an audited record that hold a citizen ID, masked as pages mask them.
ID_FIELDS = ("citizen_id",)


def mask_record(text: str | None) -> str | None:
    """An audited record (JSON text) with its citizen IDs masked; other text as it is."""
    if not text or not any(f'"{field}"' in text for field in ID_FIELDS):
        return text
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    for field in ID_FIELDS:
        if isinstance(record.get(field), str):
            record[field] = mask_citizen_id(record[field])
    return json.dumps(record, ensure_ascii=False)


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target on this site only (no scheme, no host, no '//' trick)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target

"""Officers' accounts: roles, the units each may see, sign-in tokens and failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # Argon2id, with its parameters and salt in the string.
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccountUnit(Base):
    """A unit an account may see, with every unit below it; none means the whole country."""

    __tablename__ = "account_unit"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True)


class AccountToken(Base):
    """A browser session or an API token; only the SHA-256 of the secret is kept."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "session" or "api"
    # The session's CSRF token; forms must send it back.
    csrf: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """A failed sign-in, counted per username and per client address to slow guessing."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

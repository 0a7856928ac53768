"""Payroll tables: a commune's run for a month, its lines by person, category and month owed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base

# A run's life: prepared by the commune, approved by the province, closed once every line is
# marked. Only a prepared run can be prepared again; an approved one never is.
RUN_STATUSES = ("prepared", "approved", "closed")
# A line's: pending until marked paid, not collected, or returned (the last two are owed again).
LINE_STATUSES = ("pending", "paid", "not_collected", "returned")
# Why a line is owed: the month's own amount, arrears of an earlier month, or an overpayment of
# an earlier month to recover (a negative amount).
LINE_KINDS = ("due", "arrears", "recovery")
# The lines owed again, indexed apart (migration 0019).
OWED_AGAIN = text("status IN ('not_collected', 'returned')")


class PaymentRun(Base):
    __tablename__ = "payment_run"
    __table_args__ = (UniqueConstraint("month", "commune_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # first day of the month paid
    commune_code: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20))
    lines: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    prepared_by: Mapped[str] = mapped_column(String(100))
    prepared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The rules (data/benefits/) it was computed under: when they change, a later run computes
    # the past months again (a base raised back to a month already paid).
    rules_version: Mapped[str | None] = mapped_column(String(16))


class PaymentLine(Base):
    __tablename__ = "payment_line"
    __table_args__ = (
        Index("ix_payment_line_person", "person_id", "programme", "month"),
        Index(
            "ix_payment_line_owed_again",
            "run_id",
            sqlite_where=OWED_AGAIN,
            postgresql_where=OWED_AGAIN,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    benefit_id: Mapped[int | None] = mapped_column(Integer)
    programme: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(60))
    month: Mapped[date] = mapped_column(Date)  # the month owed
    kind: Mapped[str] = mapped_column(String(10))
    base: Mapped[int | None] = mapped_column(BigInteger)
    coefficient: Mapped[str | None] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    marked_by: Mapped[str | None] = mapped_column(String(100))
    marked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

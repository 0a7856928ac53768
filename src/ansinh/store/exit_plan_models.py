"""A household's poverty-exit plan of a review year, and the measures it lists."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base


class ExitPlan(Base):
    """Made after a year's review for a poor or near-poor household; followed up at the next."""

    __tablename__ = "exit_plan"
    __table_args__ = (UniqueConstraint("household_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    commune_code: Mapped[str] = mapped_column(String(20), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the review year the plan answers
    status: Mapped[str] = mapped_column(String(20))  # poor or near_poor at that review
    causes: Mapped[str] = mapped_column(String(400), default="")  # cause codes joined by ';'
    cannot_exit: Mapped[bool] = mapped_column(Boolean, default=False)  # no member can work
    helper: Mapped[str] = mapped_column(String(200), default="")  # who helps the household
    target_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExitPlanMeasure(Base):
    """One measure of a plan: what, for which indicator, who provides it, when, and whether it
    was delivered."""

    __tablename__ = "exit_plan_measure"
    __table_args__ = (UniqueConstraint("plan_id", "measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exit_plan.id"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    indicator: Mapped[str | None] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(200), default="")
    target_date: Mapped[date] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)

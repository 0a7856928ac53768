"""The periodic review as people run it: each commune's stages with their papers, the reports
the province sent back, the complaints register, and the regular reviews households apply for
(Art. 5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base


class ReviewStage(Base):
    """A stage a commune's review of a year has passed, when, and its papers."""

    __tablename__ = "review_stage"
    __table_args__ = (UniqueConstraint("commune_code", "year", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(30))
    done_on: Mapped[date] = mapped_column(Date)
    posted_until: Mapped[date | None] = mapped_column(Date)  # a posting's last day
    attendance: Mapped[int | None] = mapped_column(Integer)  # people at the village meeting
    meeting_result: Mapped[str | None] = mapped_column(String(20))  # agreed | changed
    minutes_name: Mapped[str | None] = mapped_column(String(200))
    minutes: Mapped[bytes | None] = mapped_column(LargeBinary)
    decision_no: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(400))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewReturn(Base):
    """The province sent a commune's report of a year back, why, and the stage it undid."""

    __tablename__ = "review_return"
    __table_args__ = (Index("ix_review_return_commune_year", "commune_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(30))  # the stage sent back (reported)
    stage_done_on: Mapped[date] = mapped_column(Date)  # the day of the report sent back
    back_to: Mapped[str] = mapped_column(String(30))
    returned_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewComplaint(Base):
    """A complaint about a review's result: a household's, or a whole list's."""

    __tablename__ = "review_complaint"
    __table_args__ = (Index("ix_review_complaint_commune_year", "commune_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    complainant: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(String(1000))
    received_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    complex_case: Mapped[bool] = mapped_column(Boolean, default=False)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledge_by: Mapped[date] = mapped_column(Date)
    decide_by: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    decision_no: Mapped[str | None] = mapped_column(String(40))
    new_status: Mapped[str | None] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewApplication(Base):
    """A household's application for a regular review (Art. 5), and its decision."""

    __tablename__ = "review_application"
    __table_args__ = (Index("ix_review_application_commune", "commune_code", "applied_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    commune_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    applied_on: Mapped[date] = mapped_column(Date)
    status_before: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None] = mapped_column(Date)
    status_after: Mapped[str | None] = mapped_column(String(20))
    decision_no: Mapped[str | None] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

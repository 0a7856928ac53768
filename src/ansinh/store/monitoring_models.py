"""Monitoring tables: targets, observations, programme plans and disbursements, NTM evaluations
and recognitions.

Every row carries `scope_code`: the registry unit it belongs to, for who may see and change it
and for its audit entries (store/monitoring_rows.py). It is the row's own unit when the registry
holds that unit, else the unit the loader kept it under (local or pre-2025 codes, e.g. a former
district's commune)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base

# Decimal values are kept as their text ("1.2"), so that a target's edge stays exact on every
# backend (domain/monitoring/targets.py compares decimals, not floats).


class MonitoringTarget(Base):
    __tablename__ = "monitoring_target"
    __table_args__ = (UniqueConstraint("target_id", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(String(80))
    unit_code: Mapped[str] = mapped_column(String(20))
    # `group` is an SQL keyword.
    target_group: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(400))
    unit_of_measure: Mapped[str] = mapped_column(String(40))
    baseline_value: Mapped[str | None] = mapped_column(String(40))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[str] = mapped_column(String(40))
    comparator: Mapped[str] = mapped_column(String(20))
    tolerance: Mapped[str] = mapped_column(String(40))
    deadline_year: Mapped[int] = mapped_column(Integer)
    # The registry indicator that observes the target (store/monitoring_indicators.py), if any.
    indicator: Mapped[str | None] = mapped_column(String(60))
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class MonitoringObservation(Base):
    __tablename__ = "monitoring_observation"
    __table_args__ = (UniqueConstraint("target_id", "unit_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(String(80), index=True)
    unit_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(40))
    # Where the value comes from: a file, a form, or the registry's review of a year.
    source: Mapped[str | None] = mapped_column(String(200))
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class ProgrammePlan(Base):
    """One allocation: `source_year`'s capital to spend in `plan_year` (earlier: carried over)."""

    __tablename__ = "programme_plan"
    __table_args__ = (
        UniqueConstraint(
            "programme", "capital_type", "plan_year", "source_year", "unit_code", "project"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(40))
    capital_type: Mapped[str] = mapped_column(String(20))
    plan_year: Mapped[int] = mapped_column(Integer, index=True)
    source_year: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str] = mapped_column(String(20))
    project: Mapped[str] = mapped_column(String(80), default="")
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class ProgrammeDisbursement(Base):
    """A disbursement; `seq` tells apart equal rows of the same key and day."""

    __tablename__ = "programme_disbursement"
    __table_args__ = (
        UniqueConstraint(
            "programme", "capital_type", "plan_year", "unit_code", "project", "date", "seq"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(40))
    capital_type: Mapped[str] = mapped_column(String(20))
    plan_year: Mapped[int] = mapped_column(Integer, index=True)
    unit_code: Mapped[str] = mapped_column(String(20))
    project: Mapped[str] = mapped_column(String(80), default="")
    date: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(SmallInteger)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class NtmEvaluation(Base):
    """Whether a commune met one new-rural criterion in a year."""

    __tablename__ = "ntm_evaluation"
    __table_args__ = (UniqueConstraint("commune_code", "year", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer, index=True)
    criterion: Mapped[int] = mapped_column(SmallInteger)
    met: Mapped[bool] = mapped_column(Boolean)
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class NtmRecognition(Base):
    """A commune or village recognised at a new-rural level (`none`: listed, not recognised)."""

    __tablename__ = "ntm_recognition"
    __table_args__ = (UniqueConstraint("unit_code", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer)
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)


class ProgrammeProject(Base):
    """A programme project in a commune: its state capital and the people's contributions
    (Decree 27/2022/NĐ-CP as amended by Decree 38/2023/NĐ-CP)."""

    __tablename__ = "programme_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_code: Mapped[str] = mapped_column(String(80), unique=True)
    programme: Mapped[str] = mapped_column(String(40))
    commune_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    start_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    state_capital_vnd: Mapped[int] = mapped_column(BigInteger)
    contribution_vnd: Mapped[int] = mapped_column(BigInteger)
    contribution_workdays: Mapped[int] = mapped_column(Integer)
    scope_code: Mapped[str | None] = mapped_column(String(20), index=True)

"""The inspection's tables: runs, candidate duplicate pairs, overlap findings, decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ansinh.store.models import Base


class InspectionRun(Base):
    """One run of `ansinh inspect`: the year, engine, threshold, who ran it and what it found."""

    __tablename__ = "inspection_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    engine: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    people: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)


class InspectionCandidate(Base):
    """A pair proposed as one person, with its probability and field-by-field evidence (JSON).

    person_l < person_r (person codes); the fingerprints are of the records as they were scored.
    """

    __tablename__ = "inspection_candidate"
    __table_args__ = (
        UniqueConstraint("run_id", "person_l", "person_r"),
        Index("ix_inspection_candidate_pair", "person_l", "person_r"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_run.id"), index=True)
    person_l: Mapped[str] = mapped_column(String(64))
    person_r: Mapped[str] = mapped_column(String(64))
    cluster_id: Mapped[str] = mapped_column(String(64))
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    fingerprint_l: Mapped[str] = mapped_column(String(64))
    fingerprint_r: Mapped[str] = mapped_column(String(64))


class InspectionFinding(Base):
    """A breach of an overlap rule: the rule, the people (JSON list) and the benefits involved."""

    __tablename__ = "inspection_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_run.id"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    cluster_id: Mapped[str] = mapped_column(String(64))
    people: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)


class InspectionDecision(Base):
    """An inspector's decision on a pair: confirm (one person) or reject (two people).

    It holds while both records keep the fingerprints they had when it was made.
    """

    __tablename__ = "inspection_decision"
    __table_args__ = (UniqueConstraint("person_l", "person_r"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_l: Mapped[str] = mapped_column(String(64))
    person_r: Mapped[str] = mapped_column(String(64))
    fingerprint_l: Mapped[str] = mapped_column(String(64))
    fingerprint_r: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InspectionFindingDecision(Base):
    """An inspector's conclusion on an overlap finding: a real overlap to stop, or none.

    Keyed by the rule and the people it names (a JSON list, as the finding stores it), so that
    the conclusion holds for the same finding in later runs.
    """

    __tablename__ = "inspection_finding_decision"
    __table_args__ = (UniqueConstraint("rule", "people"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(60))
    people: Mapped[str] = mapped_column(String(1000))
    decision: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

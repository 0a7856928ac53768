"""The registry's tables: units, households, people, benefits, questionnaires, results, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Indicator answers are columns, so that classification and aggregation stay plain SQL. A
# standard naming a key outside this list needs a migration that adds its column.
SURVEY_INDICATORS: tuple[str, ...] = (
    "employment",
    "dependents",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water",
    "sanitation",
    "telecom",
    "information_access",
    # Reported for the 2027-2030 standard (Decree 351/2025/ND-CP), provisional.
    "digital_services",
    "waste",
)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """An administrative unit: province, commune, village, or a legacy unit such as a district."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    division_type: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legacy: Mapped[bool] = mapped_column(Boolean, default=False)
    # An extremely disadvantaged commune or village of the ethnic-minority and mountain areas:
    # some social-assistance categories depend on living in one (Decree 20/2021 Art. 5(5), (7)).
    disadvantaged: Mapped[bool | None] = mapped_column(Boolean)


class UnitSuccessor(Base):
    """Where a legacy unit's territory went in a reorganisation (many-to-many)."""

    __tablename__ = "unit_successor"

    legacy_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True)
    successor_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True)


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"))
    address: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What the yearly review needs of the household's people, counted again whenever they or
    # their benefits change (store.household_facts), so that the review reads no person row.
    members: Mapped[int] = mapped_column(Integer, server_default="0")
    workers: Mapped[int] = mapped_column(Integer, server_default="0")
    head_ethnicity: Mapped[str | None] = mapped_column(String(2))
    meritorious_members: Mapped[int] = mapped_column(Integer, server_default="0")


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        # Holds what the yearly review sums per household, so that it reads no person row.
        Index("ix_person_household", "household_id", "relation", "able_to_work", "ethnicity_code"),
        # Names that begin with the words typed, and their households for the viewer's units.
        Index("ix_person_name_household", "name_folded", "household_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    # Lower case without diacritics, for searches that ignore both.
    name_folded: Mapped[str] = mapped_column(String(200))
    # The province of the household's commune: the key of PostgreSQL's name index (migration
    # 0028), kept by its triggers and written by imports; empty on SQLite, whose index is FTS5.
    province_code: Mapped[str | None] = mapped_column(String(20))
    # ISO date that may be partial: YYYY, YYYY-MM or YYYY-MM-DD.
    birth_date: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))
    citizen_id: Mapped[str | None] = mapped_column(String(12), index=True)
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    relation: Mapped[str] = mapped_column(String(20))
    able_to_work: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str | None] = mapped_column(String(100))
    # severe or extremely_severe, as certified under the Law on Persons with Disabilities.
    disability: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Benefit(Base):
    """A benefit a person receives: one row per person, programme and category, with the
    decision granting it and the months it is owed (Ordinance 02/2020 Art. 6(3) pays each
    category; a programme that pays the highest only is settled when amounts are computed).

    A category recorded from a list without a decision has no months: it is known, not paid.
    """

    __tablename__ = "benefit"
    __table_args__ = (
        UniqueConstraint("person_id", "programme", "category"),
        Index("ix_benefit_programme_person", "programme", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No index of its own: the unique key above leads with it (migration 0025).
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    programme: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(60))
    decision_no: Mapped[str | None] = mapped_column(String(40))
    decision_date: Mapped[date | None] = mapped_column(Date)
    start_month: Mapped[date | None] = mapped_column(Date)  # first day of the first month owed
    end_month: Mapped[date | None] = mapped_column(Date)  # first day of the last month owed
    end_reason: Mapped[str | None] = mapped_column(String(30))
    injury_rate: Mapped[int | None] = mapped_column(Integer)
    children: Mapped[int | None] = mapped_column(Integer)
    # When a decision last changed it: a payroll computes its past months again only then.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Survey(Base):
    """A household's review questionnaire: area, income and the indicator answers, dated."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("household_id", "survey_date"),
        # Each household's latest questionnaire of a year, in household order (the review).
        Index("ix_survey_year_household", "year", "household_id", "survey_date", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    year: Mapped[int] = mapped_column(Integer)
    survey_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="annual")
    stage: Mapped[str] = mapped_column(String(20), default="surveyed")
    area: Mapped[str] = mapped_column(String(5))
    income_per_capita: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Added to the table only: the review reads and writes them set-based through Core.
for _key in SURVEY_INDICATORS:
    cast(Table, Survey.__table__).append_column(
        Column(f"deprived_{_key}", SmallInteger, nullable=True)
    )


class ReviewRun(Base):
    """One run of the yearly review: the year, the standard it applied, who ran it."""

    __tablename__ = "review_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    standard_id: Mapped[str] = mapped_column(String(60))
    provisional: Mapped[bool] = mapped_column(Boolean)
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    households: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    # Run under a standard other than the one in force for its year (migration 0020): kept
    # apart, it never replaces the results a commune recognises. NULL in runs before then.
    what_if: Mapped[bool | None] = mapped_column(Boolean)


class ReviewResult(Base):
    """A household's classification in a run, with the household as it was at the review."""

    __tablename__ = "review_result"
    # A household's result in a run, once (migration 0031): on PostgreSQL this is the table's
    # key, and `id` (from its sequence) has no index.
    __table_args__ = (
        Index("ux_review_result_run_household", "run_id", "household_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("review_run.id"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    commune_code: Mapped[str] = mapped_column(String(20))
    village_code: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    deprivation_count: Mapped[int] = mapped_column(SmallInteger)
    mpi_score: Mapped[float] = mapped_column(Float)
    members: Mapped[int] = mapped_column(SmallInteger)
    workers: Mapped[int] = mapped_column(SmallInteger)
    meritorious_members: Mapped[int] = mapped_column(SmallInteger)
    head_ethnicity: Mapped[str | None] = mapped_column(String(2))
    # Alkire-Foster: the score reaches the cut-off k. NULL in runs before migration 0010.
    mpi_poor: Mapped[bool | None] = mapped_column(Boolean)
    # Bit i: deprived in the run's standard's i-th indicator (domain.poverty.deprived_in).
    deprivations: Mapped[int | None] = mapped_column(Integer)


class ReviewSummary(Base):
    """Counts, rates and Alkire-Foster measures of one unit and group in a run."""

    __tablename__ = "review_summary"
    __table_args__ = (Index("ix_review_summary_lookup", "run_id", "unit_code", "group_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("review_run.id"))
    unit_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    group_kind: Mapped[str] = mapped_column(String(30))
    group_value: Mapped[str] = mapped_column(String(60))
    households: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    poor_households: Mapped[int] = mapped_column(Integer)
    poor_people: Mapped[int] = mapped_column(Integer)
    near_poor_households: Mapped[int] = mapped_column(Integer)
    near_poor_people: Mapped[int] = mapped_column(Integer)
    average_households: Mapped[int] = mapped_column(Integer)
    mpi_h: Mapped[float] = mapped_column(Float)
    mpi_a: Mapped[float] = mapped_column(Float)
    mpi_m0: Mapped[float] = mapped_column(Float)
    # {indicator: [people deprived in it, of whom in MPI-poor households]} (migration 0012):
    # its deprived share and censored headcount are these over `people`; its contribution to
    # M0 is its weight × censored headcount / M0. Shares: domain.review.deprived_shares.
    indicators: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who changed what, when, with the record before and after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_household", "household_id", "id"),
        Index("ix_audit_log_unit", "unit_code", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(String(64), index=True)
    batch: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    # The household a change to a household, member, benefit or questionnaire belongs to, set
    # when it is written, so that a household's history is one index range. No foreign key:
    # the log outlives what it describes, and a check per row would slow every import.
    household_id: Mapped[int | None] = mapped_column(Integer)
    # The unit a change belongs to (a household's commune, a village's commune, a monitoring
    # row's unit), so that a reader of some units sees only their changes; none for changes of
    # the whole registry (a review run), which only a reader of the whole country sees.
    unit_code: Mapped[str | None] = mapped_column(String(20))

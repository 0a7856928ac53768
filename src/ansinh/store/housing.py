"""Housing support and the gratitude fund: candidates from the review, projects, fund entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, select, text

from ansinh.domain.benefits.housing import housing_rules
from ansinh.domain.poverty import load_standard
from ansinh.store.coverage import status_run
from ansinh.store.housing_models import FundEntry, HousingSupport
from ansinh.store.models import Household, Person, ReviewResult, ReviewRun


@dataclass(frozen=True)
class Candidate:
    household_id: int
    code: str
    commune_code: str
    head_name: str | None
    status: str
    meritorious: bool


@dataclass(frozen=True)
class Project:
    id: int
    household_id: int
    code: str
    commune_code: str
    head_name: str | None
    kind: str
    amount_vnd: int
    source: str
    status: str
    deadline: date | None
    decision_no: str | None
    completed_on: date | None
    updated_at: datetime


def _head() -> Any:
    return (
        select(Person.full_name)
        .where(Person.household_id == Household.id, Person.relation == "head")
        .limit(1)
        .scalar_subquery()
    )


def candidates(connection: Connection, communes: list[str], limit: int = 500) -> list[Candidate]:
    """Households the latest confirmed review finds deprived of a durable house, with no open
    or finished project: households with a meritorious member first, then the poor."""
    run = status_run(connection)
    if run is None:
        return []
    standard = connection.scalar(select(ReviewRun.standard_id).where(ReviewRun.id == run))
    indicators = load_standard(str(standard)).indicators
    need = str(housing_rules()["need_indicator"])  # data/benefits/housing.yaml
    if need not in indicators:
        return []
    bit = 1 << indicators.index(need)
    supported = exists().where(
        HousingSupport.household_id == Household.id, HousingSupport.status != "cancelled"
    )
    rows = connection.execute(
        select(
            Household.id,
            Household.code,
            Household.commune_code,
            _head(),
            ReviewResult.status,
            Household.meritorious_members > 0,
        )
        .join(ReviewResult, ReviewResult.household_id == Household.id)
        .where(
            ReviewResult.run_id == run,
            text(f"(review_result.deprivations & {bit}) != 0"),
            Household.commune_code.in_(communes),
            ~supported,
        )
        .order_by(
            (Household.meritorious_members > 0).desc(),
            case(
                (ReviewResult.status == "poor", 0), (ReviewResult.status == "near_poor", 1), else_=2
            ),
            Household.commune_code,
            Household.code,
        )
        .limit(limit)
    )
    return [Candidate(*row) for row in rows]


def projects(connection: Connection, communes: list[str], limit: int = 500) -> list[Project]:
    rows = connection.execute(
        select(
            HousingSupport.id,
            Household.id,
            Household.code,
            Household.commune_code,
            _head(),
            HousingSupport.kind,
            HousingSupport.amount_vnd,
            HousingSupport.source,
            HousingSupport.status,
            HousingSupport.deadline,
            HousingSupport.decision_no,
            HousingSupport.completed_on,
            HousingSupport.updated_at,
        )
        .join(Household, Household.id == HousingSupport.household_id)
        .where(Household.commune_code.in_(communes))
        .order_by(HousingSupport.status, HousingSupport.deadline, HousingSupport.id)
        .limit(limit)
    )
    return [Project(*row) for row in rows]


def project_commune(connection: Connection, project_id: int) -> str | None:
    return connection.scalar(
        select(Household.commune_code)
        .join(HousingSupport, HousingSupport.household_id == Household.id)
        .where(HousingSupport.id == project_id)
    )


@dataclass(frozen=True)
class Balance:
    unit_code: str
    contributions: int
    spending: int
    administration_this_year: int
    contributions_this_year: int

    @property
    def balance(self) -> int:
        return self.contributions - self.spending


def balances(connection: Connection, units: list[str], year: int) -> list[Balance]:
    """Each fund's contributions, spending and balance, and this year's administration."""
    this_year = and_(
        FundEntry.entry_date >= date(year, 1, 1), FundEntry.entry_date <= date(year, 12, 31)
    )
    contribution = FundEntry.kind == "contribution"
    rows = connection.execute(
        select(
            FundEntry.unit_code,
            func.sum(case((contribution, FundEntry.amount_vnd), else_=0)),
            func.sum(case((~contribution, FundEntry.amount_vnd), else_=0)),
            func.sum(
                case(
                    (and_(FundEntry.line == "administration", this_year), FundEntry.amount_vnd),
                    else_=0,
                )
            ),
            func.sum(case((and_(contribution, this_year), FundEntry.amount_vnd), else_=0)),
        )
        .where(FundEntry.unit_code.in_(units))
        .group_by(FundEntry.unit_code)
        .order_by(FundEntry.unit_code)
    )
    return [Balance(code, *(int(v or 0) for v in values)) for code, *values in rows]


def fund_entries(connection: Connection, units: list[str], limit: int = 200) -> list[object]:
    return list(
        connection.execute(
            select(
                FundEntry.id,
                FundEntry.unit_code,
                FundEntry.entry_date,
                FundEntry.kind,
                FundEntry.line,
                FundEntry.amount_vnd,
                FundEntry.note,
                FundEntry.created_by,
            )
            .where(FundEntry.unit_code.in_(units))
            .order_by(FundEntry.entry_date.desc(), FundEntry.id.desc())
            .limit(limit)
        )
    )

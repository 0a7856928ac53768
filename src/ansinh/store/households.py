"""Reading households for the web and the API: lists by unit, one household, its reviews."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, Table, bindparam, func, select

from ansinh.domain.codelists import BENEFIT_COLUMNS
from ansinh.store.models import (
    SURVEY_INDICATORS,
    Benefit,
    Household,
    Person,
    ReviewResult,
    ReviewRun,
    Survey,
    Unit,
)
from ansinh.store.scope import Scope, household_filter


@dataclass(frozen=True)
class Member:
    id: int
    code: str
    full_name: str
    birth_date: str | None
    sex: str | None
    citizen_id: str | None
    ethnicity_code: str | None
    relation: str
    able_to_work: bool | None
    # programme -> its categories, as the import template writes them: 'a;b'
    benefits: dict[str, str] = field(default_factory=dict)
    disability: str | None = None


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    code: str
    commune_code: str
    commune_name: str
    village_code: str | None
    village_name: str | None
    address: str | None
    head_name: str | None
    member_count: int
    status: str | None  # in the given review run, if any
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Page:
    items: list[HouseholdRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _head_name() -> Any:
    return (
        select(Person.full_name)
        .where(Person.household_id == Household.id, Person.relation == "head")
        .limit(1)
        .scalar_subquery()
    )


def _member_count() -> Any:
    return (
        select(func.count(Person.id)).where(Person.household_id == Household.id).scalar_subquery()
    )


def _household_query(run_id: int | BindParameter[Any] | None) -> Any:
    commune = Unit.__table__.alias("commune")
    village = Unit.__table__.alias("village")
    status = (
        select(ReviewResult.status)
        .where(ReviewResult.household_id == Household.id, ReviewResult.run_id == run_id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Household.id,
            Household.code,
            Household.commune_code,
            commune.c.name,
            Household.village_code,
            village.c.name,
            Household.address,
            _head_name(),
            _member_count(),
            status,
            Household.updated_at,
        )
        .join(commune, commune.c.code == Household.commune_code)
        .outerjoin(village, village.c.code == Household.village_code)
    )


def list_households(
    connection: Connection,
    scope: Scope,
    *,
    commune: str | None = None,
    village: str | None = None,
    page: int = 1,
    page_size: int = 50,
    run_id: int | None = None,
) -> Page:
    """One page of the households in scope, optionally of one commune or village, by code."""
    where: list[ColumnElement[bool]] = [household_filter(scope)]
    if commune is not None:
        where.append(Household.commune_code == commune)
    if village is not None:
        where.append(Household.village_code == village)
    total = connection.scalar(select(func.count()).select_from(Household).where(*where)) or 0
    rows = connection.execute(
        _household_query(run_id)
        .where(*where)
        .order_by(Household.code)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page([HouseholdRow(*row) for row in rows], int(total), page, page_size)


# Built once: building the query with its aliases and subqueries costs more than running it.
_ONE_HOUSEHOLD = _household_query(bindparam("run_id")).where(
    Household.id == bindparam("household_id")
)


def get_household(
    connection: Connection, household_id: int, run_id: int | None = None
) -> HouseholdRow | None:
    row = connection.execute(
        _ONE_HOUSEHOLD, {"household_id": household_id, "run_id": run_id}
    ).first()
    return None if row is None else HouseholdRow(*row)


_MEMBERS = (
    select(Person.household_id, Person.id, Person.code, Person.full_name, Person.birth_date,
           Person.sex, Person.citizen_id, Person.ethnicity_code, Person.relation,
           Person.able_to_work, Person.disability)
    .where(Person.household_id.in_(bindparam("households", expanding=True)))
    .order_by(Person.household_id, (Person.relation != "head"), Person.birth_date, Person.id)
)  # fmt: skip
_BENEFITS = select(Benefit.person_id, Benefit.programme, Benefit.category).where(
    Benefit.person_id.in_(bindparam("people", expanding=True))
)


def members_of(
    connection: Connection,
    household_ids: list[int],
    held: Iterable[tuple[int, str, str]] | None = None,
) -> dict[int, list[Member]]:
    """Each household's members, the head first, with the benefits each receives: read here,
    or `held` (person id, programme, category) where the caller has read them already."""
    if not household_ids:
        return {}
    people = connection.execute(_MEMBERS, {"households": household_ids}).all()
    if held is None:
        rows = connection.execute(_BENEFITS, {"people": [p.id for p in people]})
        held = ((person_id, programme, category) for person_id, programme, category in rows)
    benefits = benefit_labels(held)
    found: dict[int, list[Member]] = {h: [] for h in household_ids}
    for row in people:
        found[row.household_id].append(
            Member(row.id, row.code, row.full_name, row.birth_date, row.sex, row.citizen_id,
                   row.ethnicity_code, row.relation, row.able_to_work, benefits.get(row.id, {}),
                   row.disability)
        )  # fmt: skip
    return found


def benefit_labels(held: Iterable[tuple[int, str, str]]) -> dict[int, dict[str, str]]:
    """Each person's benefits as the import template writes them: programme -> 'a;b'."""
    benefits: dict[int, dict[str, str]] = {}
    for person_id, programme, category in held:
        labels = benefits.setdefault(person_id, {})
        labels[programme] = ";".join(
            sorted({*labels.get(programme, "").split(";"), category} - {""})
        )
    return benefits


def village_choices(connection: Connection, commune_code: str) -> list[tuple[str, str]]:
    rows = connection.execute(
        select(Unit.code, Unit.name)
        .where(Unit.parent_code == commune_code, Unit.level == "village")
        .order_by(Unit.code)
    )
    return [(code, name) for code, name in rows]


@dataclass(frozen=True)
class ReviewRow:
    year: int
    standard_id: str
    provisional: bool
    status: str
    deprivation_count: int
    mpi_score: float
    survey_date: str
    area: str
    income_per_capita: int
    deprived: list[str]  # the indicator keys the household lacks


def _reviews_query() -> Any:
    survey = Survey.__table__
    assert isinstance(survey, Table)
    flags = [survey.c[f"deprived_{key}"] for key in SURVEY_INDICATORS]
    return (
        select(
            ReviewRun.year,
            ReviewRun.standard_id,
            ReviewRun.provisional,
            ReviewResult.status,
            ReviewResult.deprivation_count,
            ReviewResult.mpi_score,
            survey.c.survey_date,
            survey.c.area,
            survey.c.income_per_capita,
            *flags,
        )
        .join(ReviewRun, ReviewRun.id == ReviewResult.run_id)
        .join(survey, survey.c.id == ReviewResult.survey_id)
        .where(ReviewResult.household_id == bindparam("household_id"), ReviewRun.current.is_(True))
        .order_by(ReviewRun.year.desc(), ReviewRun.id.desc())
    )


_REVIEWS = _reviews_query()


def household_reviews(connection: Connection, household_id: int) -> list[ReviewRow]:
    """The household's result in each current review run, newest year first, with reasons."""
    rows = connection.execute(_REVIEWS, {"household_id": household_id})
    found = []
    for row in rows:
        answers = row[9:]
        deprived = [key for key, value in zip(SURVEY_INDICATORS, answers, strict=True) if value]
        found.append(
            ReviewRow(row.year, row.standard_id, bool(row.provisional), row.status,
                      int(row.deprivation_count), float(row.mpi_score), str(row.survey_date),
                      row.area, int(row.income_per_capita), deprived)
        )  # fmt: skip
    return found


def template_rows(connection: Connection, household_id: int) -> list[dict[str, str]]:
    """The household as rows of the import template, one per member, the head first."""
    household = get_household(connection, household_id)
    if household is None:
        return []
    members = members_of(connection, [household_id])[household_id]
    shared = {
        "household_id": household.code,
        "commune_code": household.commune_code,
        "village_code": household.village_code or "",
        "village_name": household.village_name or "",
        "address": household.address or "",
    }
    return [_template_row(m, shared) for m in members]


def _template_row(member: Member, shared: dict[str, str]) -> dict[str, str]:
    row = {
        "person_id": member.code,
        "full_name": member.full_name,
        "birth_date": member.birth_date or "",
        "sex": member.sex or "",
        "citizen_id": member.citizen_id or "",
        "ethnicity": member.ethnicity_code or "",
        "relation": member.relation,
        "able_to_work": "" if member.able_to_work is None else str(int(member.able_to_work)),
        "disability": member.disability or "",
        **shared,
    }
    # Benefits are stated in full, so that an edit keeps the ones the form does not show.
    for column, programme in BENEFIT_COLUMNS.items():
        row[column] = member.benefits.get(programme, "")
    return row


def person_codes_in_use(connection: Connection, prefix: str) -> set[str]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return set(
        connection.scalars(select(Person.code).where(Person.code.like(f"{escaped}%", escape="\\")))
    )


def households_in_file(connection: Connection, codes: list[str]) -> dict[str, str]:
    """Household code -> commune, for the codes of a file that the registry already holds."""
    found: dict[str, str] = {}
    for start in range(0, len(codes), 10_000):
        part = codes[start : start + 10_000]
        rows = connection.execute(
            select(Household.code, Household.commune_code).where(Household.code.in_(part))
        )
        found.update((code, commune) for code, commune in rows)
    return found


def person_households(connection: Connection, codes: list[str]) -> dict[str, str]:
    """Person code -> commune of the household the registry holds them in."""
    found: dict[str, str] = {}
    for start in range(0, len(codes), 10_000):
        part = codes[start : start + 10_000]
        rows = connection.execute(
            select(Person.code, Household.commune_code)
            .join(Household, Household.id == Person.household_id)
            .where(Person.code.in_(part))
        )
        found.update((code, commune) for code, commune in rows)
    return found

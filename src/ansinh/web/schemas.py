"""The JSON API's shapes: what scripts and other systems may rely on (see DESIGN.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

Item = TypeVar("Item")


class Paged(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    page: int
    page_size: int


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class MePublic(BaseModel):
    username: str
    role: str
    units: list[str] = Field(description="Units given; empty means the whole country")


class HouseholdPublic(BaseModel):
    id: int
    code: str
    commune_code: str
    commune_name: str
    village_code: str | None
    village_name: str | None
    address: str | None
    head_name: str | None
    members: int = Field(description="Number of members")
    status: str | None = Field(description="poor, near_poor, average or none in the latest review")


class MemberPublic(BaseModel):
    id: int
    code: str
    full_name: str
    birth_date: str | None
    sex: str | None
    citizen_id: str | None = Field(description="Masked for roles that do not need it")
    ethnicity_code: str | None
    relation: str
    able_to_work: bool | None
    benefits: dict[str, str] = Field(description="programme -> its categories, 'a;b'")
    disability: str | None = None


class ReviewPublic(BaseModel):
    year: int
    standard_id: str
    provisional: bool
    status: str
    deprivation_count: int
    mpi_score: float
    income_per_capita: int
    area: str
    deprived: list[str] = Field(description="The indicators the household is deprived in")


class HouseholdDetail(HouseholdPublic):
    member_list: list[MemberPublic]
    reviews: list[ReviewPublic]


class UnitFiguresPublic(BaseModel):
    code: str
    name: str
    level: str
    households: int
    poor_households: int
    poor_rate: float
    near_poor_households: int
    near_poor_rate: float
    mpi_h: float
    mpi_a: float
    mpi_m0: float
    deprived: dict[str, float]
    registered: int


class UnitPublic(BaseModel):
    year: int | None
    standard_id: str | None
    unit: UnitFiguresPublic | None
    children: list[UnitFiguresPublic]


class PersonFound(BaseModel):
    person_id: int
    full_name: str
    birth_date: str | None
    relation: str
    citizen_id: str | None
    household_id: int
    household_code: str
    commune_name: str
    village_name: str | None


class AuditPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    batch: str | None
    before: str | None
    after: str | None

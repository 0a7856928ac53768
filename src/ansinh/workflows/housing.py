"""Recording housing support projects and gratitude-fund entries, checked, scoped and audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, insert, select, update

from ansinh.domain.benefits.housing import codes, housing_rules
from ansinh.errors import InputError
from ansinh.store.audit import now, record_change
from ansinh.store.housing import balances, project_commune
from ansinh.store.housing_models import FundEntry, HousingSupport
from ansinh.store.models import Household
from ansinh.store.scope import Scope

FORM = "biểu mẫu / form"


def _require(ok: bool, column: str, vi: str, en: str) -> None:
    if not ok:
        raise InputError.single(FORM, vi, en, column=column)


def add_project(
    engine: Engine,
    scope: Scope,
    actor: str,
    *,
    household_code: str,
    kind: str,
    amount: int,
    source: str,
    deadline: date | None,
    decision_no: str | None,
) -> int:
    """A support project for a household of the caller's communes."""
    _require(kind in codes("kinds"), "kind", "Loại hỗ trợ không hợp lệ", "Unknown kind")
    _require(source in codes("sources"), "source", "Nguồn vốn không hợp lệ", "Unknown source")
    _require(0 < amount < 10**11, "amount", "Số tiền phải lớn hơn 0", "The amount must be > 0")
    with engine.begin() as connection:
        found = connection.execute(
            select(Household.id, Household.commune_code).where(Household.code == household_code)
        ).first()
        _require(
            found is not None and scope.has_commune(found[1]),
            "household",
            "Không có hộ này trong sổ của đơn vị bạn",
            "No such household in the registry of your units",
        )
        assert found is not None
        values = {
            "household_id": found[0],
            "kind": kind,
            "amount_vnd": amount,
            "source": source,
            "status": "planned",
            "deadline": deadline,
            "decision_no": decision_no or None,
            "updated_by": actor,
            "updated_at": now(),
        }
        project = connection.execute(
            insert(HousingSupport).values(**values).returning(HousingSupport.id)
        ).scalar_one()
        record_change(
            connection,
            actor=actor,
            action="create",
            entity="housing_support",
            key=str(project),
            after=values | {"updated_at": None},
            household_id=found[0],
        )
    return int(project)


def set_project_status(
    engine: Engine, scope: Scope, actor: str, project: int, status: str, on: date | None
) -> None:
    _require(status in codes("statuses"), "status", "Trạng thái không hợp lệ", "Unknown status")
    with engine.begin() as connection:
        commune = project_commune(connection, project)
        if commune is None or not scope.has_commune(commune):
            raise LookupError(project)
        completed = (on or date.today()) if status == "completed" else None
        connection.execute(
            update(HousingSupport)
            .where(HousingSupport.id == project)
            .values(status=status, completed_on=completed, updated_by=actor, updated_at=now())
        )
        household = connection.scalar(
            select(HousingSupport.household_id).where(HousingSupport.id == project)
        )
        record_change(
            connection,
            actor=actor,
            action="update",
            entity="housing_support",
            key=str(project),
            after={"status": status, "completed_on": completed},
            household_id=household,
        )


def add_fund_entry(
    engine: Engine,
    scope: Scope,
    actor: str,
    *,
    unit_code: str,
    on: date,
    kind: str,
    line: str,
    amount: int,
    note: str | None,
) -> int:
    """An entry of the fund of a unit the caller holds (its province or one of its communes);
    administration may not pass 5 % of the year's contributions (Decree 131/2021 Art. 181(6))."""
    fund = housing_rules()["fund"]
    _require(kind in ("contribution", "spending"), "kind", "Loại không hợp lệ", "Unknown kind")
    lines = [item["code"] for item in fund["lines"]]
    _require(
        kind == "contribution" or line in lines,
        "line",
        "Khoản chi không hợp lệ",
        "Unknown spending line",
    )
    _require(0 < amount < 10**13, "amount", "Số tiền phải lớn hơn 0", "The amount must be > 0")
    _require(on <= date.today(), "entry_date", "Ngày ở tương lai", "A date in the future")
    _require(
        scope.roots is None or unit_code in scope.roots or scope.has_commune(unit_code),
        "unit_code",
        "Quỹ ngoài phạm vi tài khoản",
        "A fund outside your units",
    )
    with engine.begin() as connection:
        if kind == "spending" and line == "administration":
            found = balances(connection, [unit_code], on.year)
            year = found[0] if found else None
            cap = (year.contributions_this_year if year else 0) * fund["administration_cap"]
            spent = year.administration_this_year if year else 0
            _require(
                spent + amount <= cap,
                "amount",
                f"Chi quản lý vượt 5% số thu trong năm ({int(cap):,} đồng)",
                f"Administration above 5 % of the year's income ({int(cap):,} VND)",
            )
        values = {
            "unit_code": unit_code,
            "entry_date": on,
            "kind": kind,
            "line": "contribution" if kind == "contribution" else line,
            "amount_vnd": amount,
            "note": (note or "")[:400] or None,
            "created_by": actor,
            "created_at": now(),
        }
        entry = connection.execute(
            insert(FundEntry).values(**values).returning(FundEntry.id)
        ).scalar_one()
        record_change(
            connection,
            actor=actor,
            action="create",
            entity="fund_entry",
            key=str(entry),
            after=values | {"created_at": None},
            unit_code=unit_code,
        )
    return int(entry)

"""A household's members one at a time: a new member's code, and removing one, with a reason."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, delete, exists, select, update

from ansinh.errors import InputError
from ansinh.store.audit import now, record_change
from ansinh.store.household_facts import count_again
from ansinh.store.models import Benefit, Household, Person
from ansinh.store.payroll_models import PaymentLine

FORM = "biểu mẫu / form"
# What the audit log keeps of a removed member.
_KEPT = (
    Person.full_name,
    Person.birth_date,
    Person.sex,
    Person.citizen_id,
    Person.relation,
    Person.ethnicity_code,
)
REASON_LENGTH = 500


def new_member_code(connection: Connection, household_code: str) -> str:
    """The next free code of the household's own kind: 'H1-1', 'H1-2', ..."""
    prefix = f"{household_code}-"
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    taken = set(
        connection.scalars(select(Person.code).where(Person.code.like(f"{escaped}%", escape="\\")))
    )
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def remove_member(
    connection: Connection, household_id: int, code: str, reason: str, actor: str
) -> None:
    """Take a member out of the household, audited with the reason and the record as it was.

    The head is not removed (another member is made head first), nor a person who holds
    benefits or payments: their history stays, and their benefits end by a decision."""
    reason = reason.strip()
    if not reason:
        raise InputError.single(
            FORM, "Cần ghi lý do xoá", "A reason for the removal is required", column="reason"
        )
    if len(reason) > REASON_LENGTH:
        raise InputError.single(
            FORM,
            f"Lý do dài quá {REASON_LENGTH} ký tự",
            f"Reason longer than {REASON_LENGTH}",
            column="reason",
        )
    person = connection.execute(
        select(*_KEPT, Person.id).where(Person.household_id == household_id, Person.code == code)
    ).one_or_none()
    if person is None:
        raise InputError.single(
            FORM, f"Hộ không có thành viên {code}", f"No member {code} in the household"
        )
    _check_removable(connection, person.id, person.relation)
    before = {column.key: getattr(person, column.key) for column in _KEPT}
    connection.execute(delete(Person).where(Person.id == person.id))
    record_change(
        connection,
        actor=actor,
        action="delete",
        entity="person",
        key=code,
        before=before,
        after={"reason": reason},
        household_id=household_id,
    )
    count_again(connection, pl.Series([household_id]))
    connection.execute(
        update(Household).where(Household.id == household_id).values(updated_at=now())
    )


def _check_removable(connection: Connection, person_id: int, relation: str) -> None:
    if relation == "head":
        raise InputError.single(
            FORM,
            "Không xoá được chủ hộ: hãy chọn chủ hộ khác trước",
            "The head cannot be removed: make another member head first",
            column="relation",
        )
    holds = connection.scalar(
        select(
            exists().where(Benefit.person_id == person_id)
            | exists().where(PaymentLine.person_id == person_id)
        )
    )
    if holds:
        raise InputError.single(
            FORM,
            "Người này có chế độ hoặc khoản chi trả: giữ lại để còn lịch sử; hãy kết thúc "
            "chế độ bằng quyết định",
            "This person holds benefits or payments: kept for their history; end the "
            "benefits by a decision",
        )

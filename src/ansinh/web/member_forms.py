"""The edit page's other forms: removing a member with a reason, recording a benefit decision
for a member through the decisions workflow (the same checks as a decisions file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from ansinh.domain import codelists
from ansinh.domain.dates import typed_date
from ansinh.errors import InputError, Problem
from ansinh.io.decisions_file import OPTIONAL, REQUIRED
from ansinh.problems import ROW
from ansinh.store.db import writing
from ansinh.store.members import remove_member
from ansinh.store.scope import Scope
from ansinh.workflows.decisions import DecisionsResult, import_decisions

FORM = Path("biểu mẫu / form")
# The programmes whose benefits a commune decides (Decree 20/2021, Ordinance 02/2020).
DECIDED = ("social_assistance", "meritorious")
DATE_FIELDS = frozenset({"decision_date", "start_month", "end_month"})


@dataclass(frozen=True)
class FormResult:
    """A small form's outcome: its problems (none: done) and the values typed, to show again."""

    problems: list[Problem]
    values: dict[str, str]


def decision_choices() -> list[tuple[str, str, str]]:
    """(programme, category, Vietnamese and English name) a commune decides."""
    programmes = codelists.benefit_programmes()
    return [
        (code, category, f"{names[0]} / {names[1]}")
        for code in DECIDED
        if code in programmes
        for category, names in programmes[code].categories.items()
    ]


def record_decision(
    engine: Engine, form: dict[str, str], members: set[str], *, actor: str, scope: Scope
) -> FormResult:
    """One decision for one of `members`, checked and written as a row of a decisions file."""
    values = {c: form.get(c, "").strip() for c in (*REQUIRED, *OPTIONAL)}
    programme, _, category = form.get("benefit", "").partition("|")
    values |= {"programme": programme, "category": category}
    if values["person_id"] not in members:
        reason = ("Chọn một thành viên của hộ", "Choose a member of the household")
        problem = Problem(str(FORM), *reason, 2, "person_id")
        return FormResult([problem], values | {"benefit": form.get("benefit", "")})
    row = {c: typed_date(v) if c in DATE_FIELDS else v for c, v in values.items()}
    table = pl.DataFrame([row], schema={c: pl.String for c in row})
    table = table.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    try:
        result: DecisionsResult = import_decisions(engine, FORM, table, actor=actor, scope=scope)
    except InputError as error:
        return FormResult(error.problems, values | {"benefit": form.get("benefit", "")})
    assert result.rows == 1
    return FormResult([], {})


def remove(engine: Engine, household_id: int, form: dict[str, str], *, actor: str) -> FormResult:
    values = {"person_id": form.get("person_id", ""), "reason": form.get("reason", "")}
    try:
        with writing(engine) as connection:
            remove_member(connection, household_id, values["person_id"], values["reason"], actor)
    except InputError as error:
        return FormResult(error.problems, values)
    return FormResult([], {})

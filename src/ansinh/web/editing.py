"""Editing a household from the web: the form becomes import rows, checked and audited alike;
a member may be added; errors are told beside the field they concern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from ansinh.domain.dates import typed_date
from ansinh.errors import InputError, Problem
from ansinh.io.importer import import_table
from ansinh.problems import ROW
from ansinh.store.households import template_rows, village_choices
from ansinh.store.members import new_member_code
from ansinh.store.scope import Scope

# What the form may change on each member; the commune and the codes stay as they are.
MEMBER_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "citizen_id",
    "ethnicity",
    "relation",
    "able_to_work",
)
HOUSEHOLD_FIELDS = ("address", "village_code")
DATE_FIELDS = frozenset({"birth_date"})
# The form's name for the member being added (its code is given as it is saved).
NEW = "new"
FORM_NAME = "biểu mẫu / form"


@dataclass(frozen=True)
class EditOutcome:
    problems: list[Problem]
    rows: list[dict[str, str]]  # the rows as submitted, to show the form again
    added: dict[str, str] | None = None  # the member being added, as submitted
    added_code: str = ""

    @property
    def saved(self) -> bool:
        return not self.problems


def _typed(name: str, text: str) -> str:
    return typed_date(text) if name in DATE_FIELDS else text.strip()


def _member_fields(may_edit_citizen_ids: bool) -> tuple[str, ...]:
    return tuple(f for f in MEMBER_FIELDS if f != "citizen_id" or may_edit_citizen_ids)


def edited_rows(
    current: list[dict[str, str]],
    form: dict[str, str],
    villages: dict[str, str],
    may_edit_citizen_ids: bool,
) -> list[dict[str, str]]:
    """The household's template rows with the form's values put in (unknown keys ignored).

    A field the form did not send keeps its value: only an emptied field clears one. Dates
    may be typed day first (15/01/1980)."""
    shared = {"address": form["address"].strip()} if "address" in form else {}
    village = form.get("village_code")
    if village is not None and (village in villages or village == ""):
        shared |= {"village_code": village, "village_name": villages.get(village, "")}
    rows = []
    for row in current:
        changed = dict(row) | shared
        for name in _member_fields(may_edit_citizen_ids):
            key = f"{row['person_id']}:{name}"
            if key in form:
                changed[name] = _typed(name, form[key])
        rows.append(changed)
    return rows


def added_row(
    rows: list[dict[str, str]], form: dict[str, str], code: str, may_edit_citizen_ids: bool
) -> dict[str, str] | None:
    """The member the form adds, as a template row of the household, if any field is filled."""
    typed = {
        name: _typed(name, form.get(f"{NEW}:{name}", ""))
        for name in _member_fields(may_edit_citizen_ids)
    }
    if not rows or not any(typed[name] for name in typed if name != "relation"):
        return None
    household = {
        k: rows[0][k]
        for k in ("household_id", "commune_code", "village_code", "village_name", "address")
    }
    return dict.fromkeys(rows[0], "") | household | typed | {"person_id": code}


def field_errors(
    problems: list[Problem], rows: list[dict[str, str]], added_code: str
) -> tuple[dict[str, Problem], list[Problem]]:
    """Each problem by the form field it concerns ('P1:birth_date', 'new:full_name',
    'address'), and those that concern no single field."""
    beside: dict[str, Problem] = {}
    others: list[Problem] = []
    for problem in problems:
        key = _field_of(problem, rows, added_code)
        if key is None or key in beside:
            others.append(problem)
        else:
            beside[key] = problem
    return beside, others


def _field_of(problem: Problem, rows: list[dict[str, str]], added_code: str) -> str | None:
    column = problem.column or ""
    if column in HOUSEHOLD_FIELDS:
        return column
    index = (problem.row or 0) - 2  # rows are numbered from 2, the header being row 1
    if column not in MEMBER_FIELDS or not 0 <= index < len(rows):
        return None
    person = rows[index]["person_id"]
    return f"{NEW if person == added_code else person}:{column}"


def save_household(
    engine: Engine,
    household_id: int,
    form: dict[str, str],
    *,
    actor: str,
    may_edit_citizen_ids: bool,
    scope: Scope,
) -> EditOutcome:
    """Check the edited household as an import would and write it; nothing written on error.

    Checked within the editor's `scope`: a citizen ID held outside it is never named."""
    with engine.connect() as connection:
        current = template_rows(connection, household_id)
        commune = current[0]["commune_code"] if current else ""
        villages = dict(village_choices(connection, commune))
        code = new_member_code(connection, current[0]["household_id"]) if current else ""
    rows = edited_rows(current, form, villages, may_edit_citizen_ids)
    added = added_row(rows, form, code, may_edit_citizen_ids)
    written = [*rows, added] if added else rows
    frame = pl.DataFrame(written, schema={k: pl.String for k in written[0]})
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    batch = f"web-{actor}-{datetime.now():%Y%m%d%H%M%S%f}"
    try:
        import_table(engine, Path(FORM_NAME), frame, actor=actor, batch=batch, scope=scope)
    except InputError as error:
        return EditOutcome(error.problems, written, added, code)
    return EditOutcome([], written, added, code)

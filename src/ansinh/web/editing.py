"""Editing a household from the web: the form becomes import rows, checked and audited alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from ansinh.errors import InputError, Problem
from ansinh.io.importer import import_table
from ansinh.problems import ROW
from ansinh.store.households import template_rows, village_choices
from ansinh.store.scope import Scope

# What the form may change on each member; the commune and the codes stay as they are.
MEMBER_FIELDS = ("full_name", "birth_date", "sex", "citizen_id", "relation", "able_to_work")
FORM_NAME = "biểu mẫu / form"


@dataclass(frozen=True)
class EditOutcome:
    problems: list[Problem]
    rows: list[dict[str, str]]  # the rows as submitted, to show the form again

    @property
    def saved(self) -> bool:
        return not self.problems


def edited_rows(
    current: list[dict[str, str]],
    form: dict[str, str],
    villages: dict[str, str],
    may_edit_citizen_ids: bool,
) -> list[dict[str, str]]:
    """The household's template rows with the form's values put in (unknown keys ignored).

    A field the form did not send keeps its value: only an emptied field clears one.
    """
    shared = {"address": form["address"].strip()} if "address" in form else {}
    village = form.get("village_code")
    if village is not None and (village in villages or village == ""):
        shared |= {"village_code": village, "village_name": villages.get(village, "")}
    rows = []
    for row in current:
        changed = dict(row) | shared
        for name in MEMBER_FIELDS:
            if name == "citizen_id" and not may_edit_citizen_ids:
                continue
            key = f"{row['person_id']}:{name}"
            if key in form:
                changed[name] = form[key].strip()
        rows.append(changed)
    return rows


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
    rows = edited_rows(current, form, villages, may_edit_citizen_ids)
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).with_row_index(ROW, offset=2)
    frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
    batch = f"web-{actor}-{datetime.now():%Y%m%d%H%M%S%f}"
    try:
        import_table(engine, Path(FORM_NAME), frame, actor=actor, batch=batch, scope=scope)
    except InputError as error:
        return EditOutcome(error.problems, rows)
    return EditOutcome([], rows)

"""Recording benefit decisions from a file or a form: checked whole, written all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from ansinh.domain.benefits.loader import shipped_rules
from ansinh.errors import InputError
from ansinh.io.decisions_file import REQUIRED, check_decisions
from ansinh.io.importer import BULK_ROWS
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import problems
from ansinh.store.benefit_decisions import apply_decisions, births_in_scope
from ansinh.store.scope import Scope
from ansinh.store.statistics import refresh_statistics


@dataclass(frozen=True)
class DecisionsResult:
    rows: int
    new: int
    changed: int
    dry_run: bool


def import_decisions_file(
    engine: Engine, path: Path, *, actor: str, scope: Scope, dry_run: bool = False
) -> DecisionsResult:
    return import_decisions(
        engine, path, read_table(path), actor=actor, scope=scope, dry_run=dry_run
    )


def import_decisions(
    engine: Engine,
    path: Path,
    table: pl.DataFrame,
    *,
    actor: str,
    scope: Scope,
    dry_run: bool = False,
    today: date | None = None,
) -> DecisionsResult:
    """Check every row against the rules and the registry (the caller's units only), then
    write every decision or none; `path` names the input in messages."""
    require_columns(path, table, REQUIRED)
    with engine.begin() as connection:
        births = births_in_scope(connection, scope, table["person_id"])
        decisions, found = check_decisions(table, births, shipped_rules(), today or date.today())
        listed = problems(str(path), [f for f in found if f.height])
        if listed:
            raise InputError(listed)
        batch = f"decisions-{actor}-{datetime.now():%Y%m%d%H%M%S%f}"
        counts = apply_decisions(
            connection,
            decisions,
            actor=actor,
            batch=batch,
            dry_run=dry_run,
            named=table.columns,
        )
        if table.height >= BULK_ROWS and not dry_run:
            # A province's decisions loaded at once: the payroll that follows reads them all,
            # and planned from the figures of an empty table it read them in 2.7 s, not 1.3 s.
            refresh_statistics(connection, ["benefit", "audit_log"])
    return DecisionsResult(
        table.height, counts["new_decisions"], counts["changed_decisions"], dry_run
    )

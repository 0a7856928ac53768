"""Import files sent from the browser: read, kept within the officer's communes, then imported."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine

from ansinh.errors import InputError, Problem
from ansinh.io.importer import ImportResult, detect_kind, import_table
from ansinh.io.limits import UPLOAD_LIMITS
from ansinh.io.tables import MEASURED_SUFFIXES, read_table
from ansinh.problems import ROW
from ansinh.store.households import households_in_file, person_households
from ansinh.store.scope import Scope, known_units
from ansinh.workflows.decisions import import_decisions

# Workbooks measured before they are read only (io/workbook_limits.py).
SUFFIXES = {".csv", *MEASURED_SUFFIXES}


def _outside(name: str, rows: pl.DataFrame, column: str) -> list[Problem]:
    return [
        Problem(
            name,
            f"'{value}' thuộc xã ngoài phạm vi tài khoản của bạn",
            f"'{value}' belongs to a commune outside your account's scope",
            row=row,
            column=column,
        )
        for row, value in rows.select(ROW, column).iter_rows()
    ]


def out_of_scope(
    connection: Connection, scope: Scope, name: str, frame: pl.DataFrame, kind: str
) -> list[Problem]:
    """Rows that name, or would change, a household of a commune the account may not touch."""
    if scope.communes is None:
        return []
    allowed = sorted(scope.communes)
    household = "household_id"
    codes = frame[household].unique().to_list() if household in frame.columns else []
    held = households_in_file(connection, codes)
    foreign = [code for code, commune in held.items() if commune not in scope.communes]
    found = _outside(name, frame.filter(pl.col(household).is_in(foreign)), household)
    if kind == "survey":
        unknown_here = [c for c in codes if c not in held]
        return found + _outside(
            name, frame.filter(pl.col(household).is_in(unknown_here)), household
        )
    # Unknown codes are the importer's to report; known communes of others are refused here.
    commune = pl.col("commune_code").str.zfill(5)
    known = known_units(connection, frame.select(commune.unique())["commune_code"].to_list())
    found += _outside(
        name, frame.filter(commune.is_in(known) & ~commune.is_in(allowed)), "commune_code"
    )
    if "person_id" in frame.columns:
        people = person_households(connection, frame["person_id"].unique().to_list())
        moved = [code for code, c in people.items() if c not in scope.communes]
        found += _outside(name, frame.filter(pl.col("person_id").is_in(moved)), "person_id")
    return found


def import_upload(
    engine: Engine,
    scope: Scope,
    filename: str,
    content: bytes,
    *,
    actor: str,
    dry_run: bool,
) -> ImportResult:
    """Import the bytes of an uploaded file; raises InputError listing every problem."""
    name = Path(filename).name or "upload.csv"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(
            name, "Chỉ nhận tệp CSV hoặc Excel (.xlsx)", "Only CSV or Excel (.xlsx) files"
        )
    if len(content) > (UPLOAD_LIMITS.max_bytes or len(content)):
        raise InputError.single(name, *UPLOAD_LIMITS.too_large())
    with tempfile.TemporaryDirectory(prefix="ansinh-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            frame = read_table(path, limits=UPLOAD_LIMITS)
        except InputError as error:  # named by the temporary file: give the user's name back
            raise InputError([replace(p, file=name) for p in error.problems]) from None
    shown = Path(name)
    if "decision_no" in frame.columns:  # benefit decisions: their own checks, scope included
        return _decisions(engine, scope, shown, frame, actor=actor, dry_run=dry_run)
    kind = detect_kind(shown, frame.columns)
    with engine.connect() as connection:
        foreign = out_of_scope(connection, scope, name, frame, kind)
    batch = f"web-{actor}-{datetime.now():%Y%m%d%H%M%S%f}"
    try:  # checked in full even when refused, so that every problem is listed at once
        result = import_table(
            engine, shown, frame, actor=actor, batch=batch, dry_run=dry_run or bool(foreign),
            scope=scope,
        )  # fmt: skip
    except InputError as error:
        foreign += error.problems
    if foreign:
        raise InputError(sorted(foreign, key=lambda p: (p.row or 0, p.column or "")))
    return result


def _decisions(
    engine: Engine, scope: Scope, shown: Path, frame: pl.DataFrame, *, actor: str, dry_run: bool
) -> ImportResult:
    """A file of benefit decisions (`ansinh benefits decide`'s columns), for the caller's units."""
    done = import_decisions(engine, shown, frame, actor=actor, scope=scope, dry_run=dry_run)
    counts = {"new_decisions": done.new, "changed_decisions": done.changed}
    return ImportResult("decisions", done.rows, dry_run, counts)

"""Monitoring data entered in the browser: an uploaded file, one disbursement, a commune's
new-rural evaluation — each through the same checks and audited merge as a loaded file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, select

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.ntm import CriteriaSet
from ansinh.errors import InputError, Problem
from ansinh.io.limits import UPLOAD_LIMITS
from ansinh.io.monitoring.finance_files import DISBURSEMENT_COLUMNS, check_disbursements
from ansinh.io.monitoring.ntm_files import EVALUATION_COLUMNS, check_evaluations
from ansinh.problems import ROW
from ansinh.store import monitoring as stored
from ansinh.store.models import Unit
from ansinh.web.deps import Viewer
from ansinh.web.uploads import SUFFIXES
from ansinh.workflows.monitoring_kinds import KINDS
from ansinh.workflows.monitoring_load import Loader, LoadResult, load_file, store_rows

FORM = "biểu mẫu / form"


def loader_of(viewer: Viewer) -> Loader:
    return Loader(viewer.username, viewer.role.code, viewer.scope)


def load_upload(
    engine: Engine, viewer: Viewer, kind: str, filename: str, content: bytes, dry_run: bool
) -> LoadResult:
    """Load the bytes of an uploaded file of a kind; InputError names the user's file."""
    name = Path(filename).name or "upload.csv"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(
            name, "Chỉ nhận tệp CSV hoặc Excel (.xlsx)", "Only CSV or Excel (.xlsx) files"
        )
    if len(content) > (UPLOAD_LIMITS.max_bytes or len(content)):
        raise InputError.single(name, "Tệp lớn hơn 20 MB", "The file is larger than 20 MB")
    with tempfile.TemporaryDirectory(prefix="ansinh-monitoring-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        return load_file(engine, kind, path, loader_of(viewer), shown=name, dry_run=dry_run)


def _text_frame(rows: list[dict[str, str]], columns: list[str]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")
    return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))


def _as_form(error: InputError) -> InputError:
    """Problems of a form: named by the form's field, without file rows."""
    return InputError([replace(p, file=FORM, row=None) for p in error.problems])


def add_disbursement(engine: Engine, viewer: Viewer, fields: dict[str, str]) -> LoadResult:
    """One disbursement added to those stored for its unit and plan year."""
    row = {c: fields.get(c, "").strip() for c in [*DISBURSEMENT_COLUMNS, "project"]}
    kind = KINDS["disbursements"]
    with engine.begin() as connection:
        held = _held_disbursements(connection, row.get("plan_year", ""), row["unit_code"])
        frame = _text_frame([*held, row], [*DISBURSEMENT_COLUMNS, "project"])
        try:
            checked = check_disbursements(
                frame, FORM, catalog.programme_codes(), stored.load_plans(connection, None)
            )
            result = store_rows(connection, kind, checked, loader_of(viewer), FORM)
        except InputError as error:
            raise _as_form(error) from None
    return replace(result, rows=1)


def _held_disbursements(connection: Connection, plan_year: str, unit: str) -> list[dict[str, str]]:
    if not plan_year.isdigit():
        return []
    held = stored.load_disbursements(connection, int(plan_year)).filter(pl.col("unit_code") == unit)
    return held.select(pl.all().cast(pl.String)).to_dicts()


@dataclass(frozen=True)
class Evaluation:
    """A commune's evaluation of a year, as the form shows it."""

    commune_code: str
    year: int
    criteria: CriteriaSet
    met: frozenset[int]


def evaluation_of(connection: Connection, commune: str, year: int) -> Evaluation:
    """The stored evaluation of a commune and year (criteria set in force that year)."""
    criteria = catalog.criteria_set(None, year)
    held = stored.load_evaluations(connection, year, None).filter(
        (pl.col("commune_code") == commune) & (pl.col("met") == 1)
    )
    return Evaluation(commune, year, criteria, frozenset(held["criterion"].to_list()))


def save_evaluation(
    engine: Engine, viewer: Viewer, commune: str, year: int, met: set[int]
) -> LoadResult:
    """The commune's evaluation of the year: every criterion of the set, met or not."""
    kind = KINDS["ntm-evaluations"]
    with engine.begin() as connection:
        parent = connection.scalar(select(Unit.parent_code).where(Unit.code == commune))
        if parent is None:
            raise InputError([Problem(FORM, "Không có xã này", "No such commune", None, "commune")])
        try:
            criteria = catalog.criteria_set(None, year)
            rows = [
                {"commune_code": commune, "parent_code": parent, "year": str(year),
                 "criterion": str(n), "met": "1" if n in met else "0"}
                for n in criteria.numbers()
            ]  # fmt: skip
            checked = check_evaluations(_text_frame(rows, EVALUATION_COLUMNS), FORM, criteria)
            return store_rows(connection, kind, checked, loader_of(viewer), FORM)
        except InputError as error:
            raise _as_form(error) from None


def communes_of(connection: Connection, viewer: Viewer) -> list[tuple[str, str]]:
    """(code, name) of the communes the viewer may evaluate."""
    query = select(Unit.code, Unit.name).where(Unit.level == "commune")
    if viewer.scope.communes is not None:
        query = query.where(Unit.code.in_(sorted(viewer.scope.communes)))
    return [(c, n) for c, n in connection.execute(query.order_by(Unit.name))]

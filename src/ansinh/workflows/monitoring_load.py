"""Loading a monitoring file into the registry: read, kept within the loader's units, merged,
audited — all of it or nothing, with every problem named (file, row, column, reason)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine

from ansinh.errors import InputError, Problem
from ansinh.problems import ROW
from ansinh.store.monitoring import with_scope
from ansinh.store.monitoring_indicators import feed_targets
from ansinh.store.monitoring_rows import SCOPE, merge_rows, plan_merge
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_kinds import KINDS, Kind


@dataclass(frozen=True)
class Loader:
    """Who loads: their name for the audit log, role (None: the command line) and units."""

    username: str
    role: str | None
    scope: Scope

    def may_touch(self, code: str | None) -> bool:
        if code is None:
            return False
        if self.scope.everything:
            return True
        return code in (self.scope.roots or frozenset()) or self.scope.has_commune(code)

    def home(self) -> str | None:
        """The unit local codes are kept under: a province account's only unit."""
        roots = self.scope.roots or frozenset()
        if self.role == "commune_officer" or len(roots) != 1:
            return None
        return next(iter(roots))


@dataclass(frozen=True)
class LoadResult:
    kind: str
    rows: int
    counts: dict[str, int]  # create, update, delete
    dry_run: bool

    @property
    def unchanged(self) -> int:
        return self.rows - self.counts["create"] - self.counts["update"]


def kind_of(name: str, file: str) -> Kind:
    if name not in KINDS:
        known = ", ".join(KINDS)
        raise InputError.single(
            file, f"Loại dữ liệu không có: '{name}' (có: {known})",
            f"Unknown kind: '{name}' (known: {known})",
        )  # fmt: skip
    return KINDS[name]


def load_file(
    engine: Engine,
    kind_name: str,
    path: Path,
    loader: Loader,
    *,
    shown: str | None = None,
    within: str | None = None,
    dry_run: bool = False,
) -> LoadResult:
    """Load FILE of a kind; raises InputError listing every problem, and then stores nothing."""
    name = shown or str(path)
    kind = kind_of(kind_name, name)
    if loader.role is not None and loader.role not in kind.roles:
        raise InputError.single(
            name, f"Tài khoản của bạn không được nạp {kind.name_vi.lower()}",
            f"Your account may not load {kind.name_en.lower()}",
        )  # fmt: skip
    with engine.begin() as connection:
        try:
            rows = kind.read(connection, path, name)
        except InputError as error:  # named by the file as stored: give the user's name back
            raise InputError([replace(p, file=name) for p in error.problems]) from None
        return store_rows(connection, kind, rows, loader, name, within=within, dry_run=dry_run)


def store_rows(
    connection: Connection,
    kind: Kind,
    rows: pl.DataFrame,
    loader: Loader,
    name: str,
    *,
    within: str | None = None,
    dry_run: bool = False,
) -> LoadResult:
    """Checked rows (with `_row`) of a kind: scoped, checked against the loader's units, merged."""
    home = within if within is not None else loader.home()
    scoped = with_scope(connection, rows, kind.units, home)
    problems = _unknown_units(name, scoped, kind, loader) + _outside(name, scoped, kind, loader)
    prepared = kind.prepare(scoped)
    both = plan_merge(connection, kind.rows, prepared)
    problems += _foreign_records(name, both, loader)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    batch = f"monitoring-{loader.username}-{datetime.now():%Y%m%d%H%M%S%f}"
    merged = merge_rows(
        connection, kind.rows, prepared, actor=loader.username, batch=batch, dry_run=dry_run
    )
    if kind.name == "targets" and not dry_run:  # targets the registry observes: observed now
        feed_targets(connection, loader.username)
    return LoadResult(kind.name, rows.height, merged.counts, dry_run)


def _unknown_units(name: str, scoped: pl.DataFrame, kind: Kind, loader: Loader) -> list[Problem]:
    column = kind.units[0]
    hint_vi = " (dòng lệnh: thêm --within MÃ_ĐƠN_VỊ)" if loader.role is None else ""
    hint_en = " (command line: add --within UNIT_CODE)" if loader.role is None else ""
    return [
        Problem(
            name,
            f"Đơn vị '{code}' không có trong sổ đăng ký{hint_vi}",
            f"Unit '{code}' is not in the registry{hint_en}",
            row=row,
            column=column,
        )
        for row, code in scoped.filter(pl.col(SCOPE).is_null()).select(ROW, column).iter_rows()
    ]


def _outside(name: str, scoped: pl.DataFrame, kind: Kind, loader: Loader) -> list[Problem]:
    column = kind.units[0]
    return [
        Problem(
            name,
            f"'{code}' thuộc đơn vị ngoài phạm vi tài khoản của bạn",
            f"'{code}' belongs to a unit outside your account's scope",
            row=row,
            column=column,
        )
        for row, code, scope in scoped.filter(pl.col(SCOPE).is_not_null())
        .select(ROW, column, SCOPE)
        .iter_rows()
        if not loader.may_touch(scope)
    ]


def _foreign_records(name: str, both: pl.DataFrame, loader: Loader) -> list[Problem]:
    """Stored records of another unit that the file would change (a local code kept elsewhere)."""
    changed = both.filter(pl.col("action").is_in(["update", "delete"]))
    return [
        Problem(
            name,
            f"Dữ liệu '{key}' đã lưu thuộc đơn vị khác ({scope}); không được sửa",
            f"The stored record '{key}' belongs to another unit ({scope}); not changed",
        )
        for key, scope in changed.select("entity_key", "_scope_before").iter_rows()
        if not loader.may_touch(scope)
    ]

"""The kinds of monitoring file An Sinh loads: how each is read, which unit a row is, who may
load it, and how its rows are stored (DESIGN.md and domain/monitoring.md give the contracts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import PLAN_SCHEMA
from ansinh.domain.monitoring.ntm import RECOGNITION_SCHEMA
from ansinh.domain.monitoring.projects import PROJECT_SCHEMA
from ansinh.io.monitoring.finance_files import read_disbursements, read_plans
from ansinh.io.monitoring.ntm_files import read_evaluations, read_recognitions
from ansinh.io.monitoring.project_files import read_projects
from ansinh.io.monitoring.target_files import read_observation_rows, read_target_rows
from ansinh.problems import ROW
from ansinh.store import monitoring as stored
from ansinh.store import monitoring_indicators as indicators
from ansinh.store.monitoring_rows import SCOPE, RowKind

# Roles that load each kind: the province plans and watches; a commune officer enters its own
# commune's new-rural evaluation (the CLI, run by the administrator, loads every kind).
PROVINCE = frozenset({"province_admin"})
COMMUNE = frozenset({"province_admin", "commune_officer"})


@dataclass(frozen=True)
class Kind:
    name: str
    name_vi: str
    name_en: str
    # (connection, file, the name the user knows it by) → checked rows with `_row`
    read: Callable[[Connection, Path, str], pl.DataFrame]
    units: tuple[str, ...]  # the columns naming a row's unit, the one to scope it by first
    rows: RowKind
    # checked rows with `scope_code` → the rows as stored
    prepare: Callable[[pl.DataFrame], pl.DataFrame]
    roles: frozenset[str]


def _plans(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    return read_plans(path, catalog.programme_codes())


def _disbursements(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    """Checked against the stored plans: each needs a plan line and may not exceed it."""
    plans = stored.load_plans(connection, None)
    return read_disbursements(path, catalog.programme_codes(), plans)


def _evaluations(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    return read_evaluations(path, lambda year: catalog.criteria_set(None, year))


def _recognitions(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    return read_recognitions(path)


def _targets(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    """A TARGETS file, or the id of a shipped target set (data/monitoring/targets)."""
    if not path.exists() and str(path) in catalog.target_set_ids():
        chosen = catalog.target_set(str(path))
        frame = stored.target_frame(chosen.targets, chosen.indicators)
        return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    rows = read_target_rows(path, indicators.indicator_names())
    return rows.select(
        ROW,
        "target_id",
        "unit_code",
        pl.col("group").alias("target_group"),
        "name",
        "unit_of_measure",
        pl.col("baseline_value").replace("", None),
        pl.col("baseline_year").replace("", None).cast(pl.Int32),
        "target_value",
        "comparator",
        pl.col("tolerance").replace("", "0"),
        pl.col("deadline_year").cast(pl.Int32),
        pl.col("indicator").replace("", None),
    ).with_columns(pl.col("comparator").replace({"reach_100": "reach"}))


def _observations(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    known = sorted({t.target_id for t in stored.load_targets(connection)})
    rows = read_observation_rows(path, known)
    return rows.select(
        ROW,
        "target_id",
        "unit_code",
        pl.col("year").cast(pl.Int32),
        "value",
        pl.lit(f"tệp/file {name}").alias("source"),
    )


def _projects(connection: Connection, path: Path, name: str) -> pl.DataFrame:
    return read_projects(path, catalog.programme_codes())


def _columns(*names: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    return lambda rows: rows.select(*names, SCOPE)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "targets", "Mục tiêu", "Targets", _targets, ("unit_code",), stored.TARGET_KIND,
            _columns(*stored.TARGET_SCHEMA), PROVINCE,
        ),
        Kind(
            "observations", "Số liệu quan sát mục tiêu", "Target observations", _observations,
            ("unit_code",), stored.OBSERVATION_KIND, _columns(*stored.OBSERVATION_SCHEMA),
            PROVINCE,
        ),
        Kind(
            "plans", "Kế hoạch vốn", "Capital plans", _plans, ("unit_code",), stored.PLAN_KIND,
            _columns(*PLAN_SCHEMA), PROVINCE,
        ),
        Kind(
            "disbursements", "Giải ngân", "Disbursements", _disbursements, ("unit_code",),
            stored.DISBURSEMENT_KIND, stored.disbursement_rows, PROVINCE,
        ),
        Kind(
            "ntm-evaluations", "Đánh giá tiêu chí nông thôn mới", "New-rural evaluations",
            _evaluations, ("commune_code", "parent_code"), stored.EVALUATION_KIND,
            stored.evaluation_rows, COMMUNE,
        ),
        Kind(
            "ntm-recognitions", "Công nhận nông thôn mới", "New-rural recognitions",
            _recognitions, ("unit_code", "parent_code"), stored.RECOGNITION_KIND,
            _columns(*RECOGNITION_SCHEMA), PROVINCE,
        ),
        Kind(
            "projects", "Dự án và đóng góp", "Projects and contributions", _projects,
            ("commune_code",), stored.PROJECT_KIND, _columns(*PROJECT_SCHEMA), PROVINCE,
        ),
    )
}  # fmt: skip


def kinds_for(role: str | None) -> list[Kind]:
    """The kinds a role may load (None: the command line, every kind)."""
    return [k for k in KINDS.values() if role is None or role in k.roles]

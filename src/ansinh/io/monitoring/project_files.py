"""PROJECTS files (docs/monitoring.md): programme projects and contributions, checked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ansinh.domain.monitoring.projects import KINDS, PROJECT_SCHEMA, STATUSES
from ansinh.io.checks import whole_number
from ansinh.io.monitoring.checks import fail_on, nonempty, one_of, read_checked, repeated, year
from ansinh.problems import ROW

PROJECT_COLUMNS = list(PROJECT_SCHEMA)
AMOUNTS = ["state_capital_vnd", "contribution_vnd", "contribution_workdays"]


def read_projects(path: Path, programmes: Sequence[str]) -> pl.DataFrame:
    """Project rows; every bad cell is reported at once (file, row, column, reason)."""
    frame = read_checked(str(path), PROJECT_COLUMNS)
    found = [
        *nonempty(frame, [c for c in PROJECT_COLUMNS if c != "name"]),
        one_of(frame, "programme", programmes, "Chương trình", "programme"),
        one_of(frame, "kind", KINDS, "Loại dự án", "project kind"),
        one_of(frame, "status", STATUSES, "Tình trạng", "status"),
        year(frame, "start_year"),
        *(whole_number(frame, c) for c in AMOUNTS),
        repeated(frame, ["project_code"], "project_code"),
    ]
    fail_on(str(path), found)
    return frame.select(ROW, *(pl.col(c).cast(t) for c, t in PROJECT_SCHEMA.items()))

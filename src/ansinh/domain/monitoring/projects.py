"""Programme projects and contributions: totals by programme and by unit.

Decree 27/2022/NĐ-CP (as amended by Decree 38/2023/NĐ-CP) governs production-support projects
of the national target programmes and the contributions of the people and communities to them
(money, workdays, land); seed 002 reports 347 production projects and, over all the programmes'
work, 237 billion VND of contributions and 209,000 workdays. The articles were not read (no text
of either decree was found): the register records what each project's dossier states.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ansinh.domain.monitoring.finance import ALL

KINDS = ("production", "infrastructure", "other")
STATUSES = ("planned", "ongoing", "completed", "cancelled")
PROJECT_SCHEMA = {
    "project_code": pl.String,
    "programme": pl.String,
    "commune_code": pl.String,
    "name": pl.String,
    "kind": pl.String,
    "start_year": pl.Int32,
    "status": pl.String,
    "state_capital_vnd": pl.Int64,
    "contribution_vnd": pl.Int64,
    "contribution_workdays": pl.Int64,
}
REPORT_COLUMNS = (
    "projects",
    "production_projects",
    "completed",
    "state_capital_vnd",
    "contribution_vnd",
    "contribution_workdays",
)


def project_report(projects: pl.DataFrame, by: Sequence[str] = ("programme",)) -> pl.DataFrame:
    """One row per value of `by` (programme, and/or the unit column) and an ALL row."""
    live = projects.filter(pl.col("status") != "cancelled")
    sums = [
        pl.len().cast(pl.Int64).alias("projects"),
        (pl.col("kind") == "production").sum().cast(pl.Int64).alias("production_projects"),
        (pl.col("status") == "completed").sum().cast(pl.Int64).alias("completed"),
        pl.col("state_capital_vnd").sum(),
        pl.col("contribution_vnd").sum(),
        pl.col("contribution_workdays").sum(),
    ]
    keys = list(by)
    rows = live.group_by(keys).agg(sums).sort(keys)
    total = live.select(sums).with_columns(pl.lit(ALL).alias(k) for k in keys)
    return pl.concat([rows, total.select(rows.columns)]).select(*keys, *REPORT_COLUMNS)

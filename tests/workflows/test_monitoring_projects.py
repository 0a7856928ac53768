"""Programme projects and contributions: the register, its reports by programme and unit.

Seed 002 (Lào Cai, 2024): 347 production-support projects, 251.5 billion VND; over the
programmes' work, 237 billion VND of non-state contributions and 209,000 workdays (the example
file assigns these contributions to the projects)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from ansinh.domain.monitoring.projects import project_report
from ansinh.errors import InputError
from ansinh.store import monitoring as store
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_load import Loader, load_file

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
CLI = Loader("tester", None, Scope(None, None))
BILLION = 1_000_000_000


def test_seed_002_projects_and_contributions_from_the_register(engine: Engine) -> None:
    file = EXAMPLES / "lao-cai-2024-projects.csv"
    assert load_file(engine, "projects", file, CLI, within="15").counts["create"] == 347
    assert load_file(engine, "projects", file, CLI, within="15").counts["create"] == 0
    with engine.connect() as connection:
        held = store.load_projects(connection, {"15"})
        scopes = store.project_scopes(connection)
    total = project_report(held).filter(pl.col("programme") == "ALL").row(0, named=True)
    assert (total["projects"], total["production_projects"]) == (347, 347)
    assert total["state_capital_vnd"] / BILLION == 251.5
    assert total["contribution_vnd"] / BILLION == 237
    assert total["contribution_workdays"] == 209_000
    by_unit = project_report(
        held.join(scopes, on="project_code").rename({"scope_code": "unit_code"}), ["unit_code"]
    )
    assert by_unit["unit_code"].to_list() == ["15", "ALL"]


def test_a_cancelled_project_counts_for_nothing_and_bad_rows_are_named(
    engine: Engine, tmp_path: Path
) -> None:
    header = (
        "project_code,programme,commune_code,name,kind,start_year,status,state_capital_vnd,"
        "contribution_vnd,contribution_workdays\n"
    )
    good = header + "P1,ntp-2026-2035,04465,Đường thôn,infrastructure,2026,cancelled,5,5,5\n"
    path = tmp_path / "p.csv"
    path.write_text(good, encoding="utf-8")
    load_file(engine, "projects", path, CLI)
    with engine.connect() as connection:
        report = project_report(store.load_projects(connection))
    assert report.filter(pl.col("programme") == "ALL")["projects"].to_list() == [0]
    path.write_text(header + "P2,ntp-2026-2035,04465,X,shop,2026,ongoing,5,-5,5\n", "utf-8")
    with pytest.raises(InputError) as error:
        load_file(engine, "projects", path, CLI)
    assert [(p.row, p.column) for p in error.value.problems] == [
        (2, "contribution_vnd"), (2, "kind"),
    ]  # fmt: skip

"""The province's benefit checks are kept until the registry changes, never after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from tests.builders import KHAO_MANG, family, person, write_csv
from tests.workflows.test_payroll import decided  # noqa: F401 (a fixture)

from ansinh.io.importer import import_file
from ansinh.store.freshness import data_version
from ansinh.workflows.budget import WhatIf, budget_impact
from ansinh.workflows.cards import card_list
from ansinh.workflows.coverage import check_coverage

DECEMBER = date(2026, 12, 1)


def test_a_check_is_read_once_until_the_registry_changes(
    decided: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    checks = {
        "coverage": lambda: check_coverage(decided, [KHAO_MANG], DECEMBER),
        "cards": lambda: card_list(decided, [KHAO_MANG], DECEMBER),
        "budget": lambda: budget_impact(decided, [KHAO_MANG], DECEMBER, WhatIf()),
    }
    with decided.connect() as connection:
        before = data_version(connection)
    first = {name: check() for name, check in checks.items()}
    kept = {name: check() is first[name] for name, check in checks.items()}
    with decided.connect() as connection:
        unmoved = data_version(connection) == before
    # On PostgreSQL another test's transaction in progress moves the version too (on a server
    # shared by the suite's workers); on SQLite nothing else writes to the test's file.
    assert all(kept.values()) or (not unmoved and decided.dialect.name == "postgresql")
    # An elderly woman of 85 joins a household of the commune: she looks entitled.
    elder = person("P9", "H1", "Vàng Thị Lử", "parent", birth_date="1941-03-01", sex="F")
    import_file(decided, write_csv(tmp_path / "more.csv", [*family(), elder]), actor="tester")
    again = {name: check() for name, check in checks.items()}
    assert all(again[name] is not first[name] for name in checks)
    assert "P9" in set(again["coverage"].unserved["person_id"])
    assert "P9" not in set(first["coverage"].unserved["person_id"])

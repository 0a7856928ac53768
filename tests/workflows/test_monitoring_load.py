"""Monitoring files loaded into the registry: idempotent, row-precise, scoped, audited, all or
nothing."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from tests.builders import KHAO_MANG, MU_CANG_CHAI

from ansinh.errors import InputError
from ansinh.store import monitoring as store
from ansinh.store.models import AuditEntry
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_load import Loader, load_file

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
CLI = Loader("tester", None, Scope(None, None))
LAO_CAI_ADMIN = Loader("lc-admin", "province_admin", Scope(frozenset({"15"}), frozenset()))
OFFICER = Loader(
    "officer", "commune_officer", Scope(frozenset({KHAO_MANG}), frozenset({KHAO_MANG}))
)
PLAN_HEADER = "programme,capital_type,plan_year,source_year,unit_code,amount_vnd\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def audit(engine: Engine, entity: str) -> list[tuple[str, str | None]]:
    with engine.connect() as connection:
        query = select(AuditEntry.action, AuditEntry.unit_code).where(AuditEntry.entity == entity)
        return [(a, u) for a, u in connection.execute(query.order_by(AuditEntry.id))]


def count(engine: Engine, table: str) -> int:
    tables = {"plans": store.PLANS, "evaluations": store.EVALUATIONS}
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(tables[table])) or 0)


def test_loading_a_file_again_changes_and_audits_nothing(engine: Engine) -> None:
    plans = EXAMPLES / "lao-cai-2024-plans.csv"
    first = load_file(engine, "plans", plans, CLI)
    again = load_file(engine, "plans", plans, CLI)
    assert first.counts == {"create": 11, "update": 0, "delete": 0}
    assert again.counts == {"create": 0, "update": 0, "delete": 0} and again.unchanged == 11
    # Each change belongs to the plan's unit, the province (audit log read by unit).
    assert audit(engine, "programme_plan") == [("create", "15")] * 11


def test_a_corrected_row_updates_only_its_record(engine: Engine, tmp_path: Path) -> None:
    original = (EXAMPLES / "lao-cai-2024-plans.csv").read_text(encoding="utf-8")
    load_file(engine, "plans", EXAMPLES / "lao-cai-2024-plans.csv", CLI)
    corrected = original.replace(
        "ntp-new-rural,investment,2024,2024,15,", "ntp-new-rural,investment,2024,2024,15,1"
    )
    assert corrected != original
    result = load_file(engine, "plans", write(tmp_path, "plans.csv", corrected), CLI)
    assert result.counts == {"create": 0, "update": 1, "delete": 0}
    assert audit(engine, "programme_plan")[-1] == ("update", "15")


def test_a_file_speaks_for_its_own_units_only(engine: Engine, tmp_path: Path) -> None:
    """A Hà Nội plan file for 2024 leaves Lào Cai's 2024 plan as it was (it used to delete it)."""
    load_file(engine, "plans", EXAMPLES / "lao-cai-2024-plans.csv", CLI)
    ha_noi = PLAN_HEADER + "ntp-new-rural,investment,2024,2024,01,1000000000\n"
    result = load_file(engine, "plans", write(tmp_path, "hn.csv", ha_noi), CLI)
    assert result.counts == {"create": 1, "update": 0, "delete": 0}
    with engine.connect() as connection:
        assert store.load_plans(connection, 2024, {"15"}).height == 11
        assert store.load_plans(connection, 2024, {"01"}).height == 1


def test_a_bad_row_names_file_row_column_and_nothing_is_stored(
    engine: Engine, tmp_path: Path
) -> None:
    text = (
        PLAN_HEADER
        + "ntp-new-rural,investment,2024,2024,15,1000\n"
        + "ntp-new-rural,investment,2024,2024,15,12.5\n"
    )
    with pytest.raises(InputError) as error:
        load_file(engine, "plans", write(tmp_path, "plans.csv", text), CLI, shown="plans.csv")
    (problem,) = error.value.problems
    assert (problem.file, problem.row, problem.column) == ("plans.csv", 3, "amount_vnd")
    assert count(engine, "plans") == 0 and audit(engine, "programme_plan") == []


def test_a_code_the_registry_does_not_hold_needs_a_unit_to_be_kept_under(engine: Engine) -> None:
    file = EXAMPLES / "hau-loc-ntm-evaluations.csv"
    with pytest.raises(InputError) as error:
        load_file(engine, "ntm-evaluations", file, CLI)
    assert "--within" in error.value.problems[0].reason_en
    assert count(engine, "evaluations") == 0
    load_file(engine, "ntm-evaluations", file, CLI, within="38")  # Thanh Hóa
    assert {u for _, u in audit(engine, "ntm_evaluation")} == {"38"}


def test_a_province_admin_loads_only_its_provinces_rows(engine: Engine, tmp_path: Path) -> None:
    text = PLAN_HEADER + "ntp-new-rural,investment,2024,2024,01,1000\n"
    with pytest.raises(InputError) as error:
        load_file(engine, "plans", write(tmp_path, "hn.csv", text), LAO_CAI_ADMIN)
    assert error.value.problems[0].reason_en == (
        "'01' belongs to a unit outside your account's scope"
    )
    # Local codes are kept under the admin's province; they may not overwrite Thanh Hóa's.
    file = EXAMPLES / "hau-loc-ntm-evaluations.csv"
    load_file(engine, "ntm-evaluations", file, CLI, within="38")
    with pytest.raises(InputError) as error:
        load_file(engine, "ntm-evaluations", write(tmp_path, "e.csv", _one_changed(file)),
                  LAO_CAI_ADMIN)  # fmt: skip
    assert "belongs to another unit (38)" in error.value.problems[0].reason_en


def _one_changed(file: Path) -> str:
    lines = file.read_text(encoding="utf-8").splitlines()
    return "\n".join([lines[0], lines[1][:-1] + "0"]) + "\n"


def test_a_commune_officer_enters_only_its_communes_evaluations(
    engine: Engine, tmp_path: Path
) -> None:
    header = "commune_code,parent_code,year,criterion,met\n"
    mine = header + f"{KHAO_MANG},15,2024,1,1\n{KHAO_MANG},15,2024,2,0\n"
    result = load_file(engine, "ntm-evaluations", write(tmp_path, "mine.csv", mine), OFFICER)
    assert result.counts["create"] == 2
    assert audit(engine, "ntm_evaluation") == [("create", KHAO_MANG)] * 2
    theirs = header + f"{MU_CANG_CHAI},15,2024,1,1\n"
    with pytest.raises(InputError) as error:
        load_file(engine, "ntm-evaluations", write(tmp_path, "theirs.csv", theirs), OFFICER)
    assert (error.value.problems[0].row, error.value.problems[0].column) == (2, "commune_code")
    with pytest.raises(InputError, match="may not load capital plans"):
        load_file(engine, "plans", EXAMPLES / "lao-cai-2024-plans.csv", OFFICER)
    assert count(engine, "evaluations") == 2 and count(engine, "plans") == 0

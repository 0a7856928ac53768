"""The review queue over the registry: pairs with evidence, overlap findings, decisions kept."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, select
from tests.builders import person, write_csv

from ansinh.io.importer import import_file
from ansinh.linkage.linker import make_linker
from ansinh.store.inspection import decide, findings, inspect_registry, queue
from ansinh.store.inspection_models import InspectionDecision
from ansinh.store.models import AuditEntry, Base, Person

INSPECTION_TABLES = [
    "inspection_run",
    "inspection_candidate",
    "inspection_finding",
    "inspection_decision",
]


def _household(
    pid: str, name: str, born: str, sex: str, source: str, **more: str
) -> dict[str, str]:
    return person(pid, f"H{pid}", name, "head", birth_date=born, sex=sex, source=source, **more)


# One commune (Khao Mang, Lào Cai): the registry and the social-assistance list typed apart.
PEOPLE = [
    _household(
        "R1",
        "Nguyễn Văn Hùng",
        "1950-03-12",
        "M",
        "registry",
        citizen_id="010050012345",
        social_assistance_category="elderly_poor",
    ),
    _household("R2", "Nguyễn Văn Hùng", "1990-07-01", "M", "registry", citizen_id="010090054321"),
    _household(
        "R3",
        "Giàng A Páo",
        "1945-01-01",
        "M",
        "registry",
        citizen_id="010045022222",
        meritorious_category="war_invalid",
    ),
    _household("R4", "Trần Thị Thuỷ", "1975-02-20", "F", "registry", citizen_id="010175011111"),
    _household("R5", "Lò Văn Sinh", "1962-04-04", "M", "registry"),
    _household("R6", "Vàng Thị Mỷ", "1980-10-10", "F", "registry"),
    _household(
        "A1",
        "NGUYỄN VĂN HÙNG",
        "1950-12-03",
        "M",
        "assistance",
        social_assistance_category="elderly_poor",
    ),
    _household(
        "A2", "Giàng A Páo", "1945", "M", "assistance", social_assistance_category="elderly_80"
    ),
    _household("A3", "Tran Thi Thuy", "1975-02-20", "F", "assistance"),
    _household("A4", "Ma Văn Tính", "1958-05-05", "M", "assistance"),
]


@pytest.fixture
def registry(engine: Engine, tmp_path: Path) -> Engine:
    # PostgreSQL keeps one schema for the session: start without earlier tests' decisions.
    with engine.begin() as connection:
        for table in reversed(INSPECTION_TABLES):
            connection.execute(Base.metadata.tables[table].delete())
    import_file(engine, write_csv(tmp_path / "people.csv", PEOPLE), actor="officer")
    return engine


def _inspect(engine: Engine) -> int:
    linker = make_linker("duckdb")
    inspected = inspect_registry(
        engine, linker, year=2025, threshold=0.9, actor="inspector", engine_name="duckdb"
    )
    return inspected.run_id


def _pairs(engine: Engine, run_id: int) -> set[tuple[str, str]]:
    with engine.connect() as connection:
        return set(queue(connection, run_id).select("person_l", "person_r").iter_rows())


def test_duplicates_across_lists_are_queued_with_evidence(registry: Engine) -> None:
    run_id = _inspect(registry)
    assert _pairs(registry, run_id) == {("A1", "R1"), ("A2", "R3"), ("A3", "R4")}
    with registry.connect() as connection:
        pending = queue(connection, run_id)
    evidence = json.loads(pending.filter(pl.col("person_l") == "A1")["evidence"][0])
    by_field = {e["field"]: e for e in evidence}
    assert by_field["birth"]["level"] == "day and month swapped"
    assert by_field["given"]["agreed"] is True
    assert {"left", "right", "weight"} <= set(by_field["surname"])


def test_overlaps_name_the_rule_and_the_records(registry: Engine) -> None:
    # One man on two lists, each paying him the monthly social assistance (Decree 20/2021).
    run_id = _inspect(registry)
    with registry.connect() as connection:
        found = findings(connection, run_id)
    rules = {(r["rule"], tuple(json.loads(r["people"]))) for r in found.iter_rows(named=True)}
    assert ("social_assistance_rules", ("A1", "R1")) in rules
    # Over-80 allowance while receiving the meritorious allowance, on two records of one man.
    assert ("elderly_allowance_and_pension_like", ("A2", "R3")) in rules


def test_a_rejected_pair_stays_rejected(registry: Engine) -> None:
    run_id = _inspect(registry)
    with registry.begin() as connection:
        pending = queue(connection, run_id)
        a3 = pending.filter(pl.col("person_l") == "A3")["id"][0]
        decide(connection, a3, "reject", actor="inspector", note="hai người khác nhau")
    again = _inspect(registry)
    assert ("A3", "R4") not in _pairs(registry, again)
    assert ("A1", "R1") in _pairs(registry, again)
    with registry.connect() as connection:
        audit = connection.execute(
            select(AuditEntry).where(AuditEntry.entity == "inspection_decision")
        ).all()
        assert [a.entity_key for a in audit] == ["A3|R4"]
        assert connection.execute(select(InspectionDecision.decision)).scalars().all() == ["reject"]


def test_a_rejected_pair_returns_when_a_record_changes(registry: Engine) -> None:
    run_id = _inspect(registry)
    with registry.begin() as connection:
        a3 = queue(connection, run_id).filter(pl.col("person_l") == "A3")["id"][0]
        decide(connection, a3, "reject", actor="inspector")
        connection.execute(
            Person.__table__.update()  # type: ignore[attr-defined]
            .where(Person.code == "A3")
            .values(citizen_id="010175011111")
        )
    assert ("A3", "R4") in _pairs(registry, _inspect(registry))


def test_a_confirmed_pair_leaves_the_queue(registry: Engine) -> None:
    run_id = _inspect(registry)
    with registry.begin() as connection:
        a1 = queue(connection, run_id).filter(pl.col("person_l") == "A1")["id"][0]
        decide(connection, a1, "confirm", actor="inspector")
    again = _inspect(registry)
    assert ("A1", "R1") not in _pairs(registry, again)
    with registry.connect() as connection:
        rules = findings(connection, again)["rule"].to_list()
    assert "social_assistance_rules" in rules

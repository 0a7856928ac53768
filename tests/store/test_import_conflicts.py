"""Conflicts with the registry: named within the caller's units, only said to exist outside them,
and such attempts audited in the unit of the record named (trust issue, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, person, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.models import AuditEntry, Person
from ansinh.store.scope import Scope

KHAO_MANG_ONLY = Scope(frozenset({KHAO_MANG}), frozenset({KHAO_MANG}))
# Held by P5, head of H2 in Mù Cang Chải: outside the Khao Mang officer's units.
HUNG_ID = "015080000777"


@pytest.fixture
def registry(engine: Engine, tmp_path: Path) -> Engine:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    with engine.begin() as connection:
        connection.execute(update(Person).where(Person.code == "P5").values(citizen_id=HUNG_ID))
    return engine


def _probe_file(tmp_path: Path) -> Path:
    rows = [
        person("P9", "H9", "Lò Văn Sáng", "head", birth_date="1980", sex="M", citizen_id=HUNG_ID),
        person("P5", "H9", "Nguyễn Văn Hùng", "spouse", birth_date="1980", sex="F"),
    ]
    return write_csv(tmp_path / "probe.csv", rows)


def _entries(engine: Engine, action: str) -> list[tuple[str, str, str | None, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.actor, AuditEntry.entity_key, AuditEntry.unit_code, AuditEntry.after)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_conflict_outside_the_scope_is_told_without_naming_the_record(
    registry: Engine, tmp_path: Path
) -> None:
    """Before: 'already belongs to person P5' and 'already belongs to household H2'."""
    with pytest.raises(InputError) as error:
        import_file(
            registry, _probe_file(tmp_path), actor="officer", dry_run=True, scope=KHAO_MANG_ONLY
        )
    found = {(p.row, p.column): p.reason_en for p in error.value.problems}
    assert "another person, outside your account's units" in found[(2, "citizen_id")]
    assert "another household, outside your account's units" in found[(3, "household_id")]
    reasons = " ".join(p.reason_vi + p.reason_en for p in error.value.problems)
    assert "H2" not in reasons  # the household the person is in
    assert "P5" not in found[(2, "citizen_id")]  # the holder of the citizen ID


def test_such_attempts_are_audited_in_the_unit_of_the_record_named(
    registry: Engine, tmp_path: Path
) -> None:
    with pytest.raises(InputError):
        import_file(
            registry, _probe_file(tmp_path), actor="officer", dry_run=True, scope=KHAO_MANG_ONLY
        )
    probes = _entries(registry, "conflict")
    assert [(actor, key, unit) for actor, key, unit, _ in probes] == [
        ("officer", "P5", MU_CANG_CHAI),
        ("officer", "P5", MU_CANG_CHAI),
    ]
    where = [json.loads(after or "{}") for *_, after in probes]
    assert [(w["row"], w["column"]) for w in where] == [(2, "citizen_id"), (3, "household_id")]
    assert HUNG_ID not in str(probes)  # the log of a probe holds no citizen ID
    with registry.connect() as connection:
        assert connection.scalar(select(Person.id).where(Person.code == "P9")) is None


def test_within_the_scope_and_on_the_command_line_the_record_is_named(
    registry: Engine, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as error:
        import_file(registry, _probe_file(tmp_path), actor="cli", dry_run=True)
    text = error.value.summary()
    assert "already belongs to person 'P5'" in text
    assert "already belongs to household 'H2'" in text
    assert _entries(registry, "conflict") == []


def test_questionnaires_of_households_outside_the_scope_read_as_unknown(
    registry: Engine, tmp_path: Path
) -> None:
    """A household code of another commune answers as one that does not exist."""
    from tests.builders import survey

    rows = [survey("H2", 1_900_000, set()), survey("H404", 1_900_000, set())]
    path = write_csv(tmp_path / "s.csv", rows)
    with pytest.raises(InputError) as error:
        import_file(registry, path, actor="officer", dry_run=True, scope=KHAO_MANG_ONLY)
    reasons = [p.reason_en.replace("H2", "X").replace("H404", "X") for p in error.value.problems]
    assert len(reasons) == 2 and reasons[0] == reasons[1]

"""The inspection reads the registry as `ansinh dedupe` reads a list: bad values are findings."""

from __future__ import annotations

from sqlalchemy import Engine, update
from tests.store.test_inspection import registry  # noqa: F401  (the fixture)

from ansinh.linkage.linker import make_linker
from ansinh.store.inspection import inspect_registry
from ansinh.store.models import Person


def test_a_value_no_check_would_pass_is_left_out_and_reported(registry: Engine) -> None:  # noqa: F811
    # Written by another system, past today's import checks: an 11-digit ID, a dd/mm date.
    with registry.begin() as connection:
        connection.execute(
            update(Person).where(Person.code == "R3").values(citizen_id="01004902222")
        )
        connection.execute(
            update(Person).where(Person.code == "R4").values(birth_date="20/02/1975")
        )
    inspected = inspect_registry(
        registry, make_linker("duckdb"), year=2025, threshold=0.9,
        actor="inspector", engine_name="duckdb",
    )  # fmt: skip
    found = {(p.file, p.column) for p in inspected.warnings}
    assert ("registry R3", "citizen_id") in found
    assert ("registry R4", "birth_date") in found
    assert inspected.candidates == 3  # A2~R3 and A3~R4 still found, A1~R1 as before
    reasons = " ".join(p.reason_en for p in inspected.warnings)
    assert "has 11 digits" in reasons and "read as 1975-02-20" in reasons

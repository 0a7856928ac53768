"""The audit log read within a scope: the same entries, in the same order, on both backends,
however many entries of other provinces lie above a province's own."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from ansinh.store.audit import record_change
from ansinh.store.history import AuditFilter, audit_count, audit_entries, audit_pages
from ansinh.store.models import Unit
from ansinh.store.scope import Scope

LAO_CAI, HA_NOI = "15", "01"


def communes_of(engine: Engine, province: str) -> list[str]:
    with engine.connect() as connection:
        query = select(Unit.code).where(Unit.parent_code == province).order_by(Unit.code)
        return list(connection.scalars(query.limit(2)))


def written(engine: Engine) -> list[tuple[str | None, str]]:
    """A province's changes, then more of another province's, then some of the whole
    registry: the province's own lie deep in the log. Returns (unit, action) in order."""
    mine, theirs = communes_of(engine, LAO_CAI), communes_of(engine, HA_NOI)
    entries = [(mine[i % 2], ("update", "create")[i % 3 == 0]) for i in range(15)]
    entries += [(theirs[i % 2], "update") for i in range(40)]
    entries += [(None, "update") for _ in range(3)]
    with engine.begin() as connection:
        for n, (unit, action) in enumerate(entries):
            record_change(
                connection,
                actor="clerk",
                action=action,
                entity="person",
                key=f"K{n}",
                unit_code=unit,
            )
    return entries


@pytest.mark.parametrize("action", ["", "create"])
def test_a_provinces_page_lists_its_own_entries_newest_first(engine: Engine, action: str) -> None:
    entries = written(engine)
    mine = set(communes_of(engine, LAO_CAI))
    expected = [
        f"K{n}"
        for n in reversed(range(len(entries)))
        if entries[n][0] in mine and (not action or entries[n][1] == action)
    ]
    scope = Scope(frozenset({LAO_CAI}), frozenset(mine))
    where = AuditFilter(action=action)
    with engine.connect() as connection:
        for size in (1, 4, 7, 100):
            listed, pages = [], (len(expected) + size - 1) // size
            for page in range(1, pages + 2):  # one past the last is empty
                found, total = audit_entries(connection, scope, where, page, size)
                assert total == len(expected)
                listed += [e.entity_key for e in found]
            assert listed == expected
        batches = list(audit_pages(connection, scope, where, 4))
        assert [e.entity_key for batch in batches for e in batch] == expected
        assert audit_count(connection, scope, where, up_to=3) == min(4, len(expected))
        assert audit_count(connection, scope, where) == len(expected)

"""What an account may see: the units it was given with everything below them, as queries."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, Connection, Engine, bindparam, literal, select, true

from ansinh.store.models import Household, Unit


@dataclass(frozen=True)
class Scope:
    """`roots` None means the whole country; otherwise the given units and all below them."""

    roots: frozenset[str] | None
    communes: frozenset[str] | None  # the communes within the roots; None when unrestricted

    @property
    def everything(self) -> bool:
        return self.roots is None

    def has_commune(self, code: str) -> bool:
        return self.communes is None or code in self.communes


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str | None


# The communes under a unit change only when official units are loaded: a minute's cache
# spares the tree walk on every request.
SCOPE_TTL = 60.0
_scopes: dict[tuple[str, tuple[str, ...]], tuple[float, Scope]] = {}


def scope_for(connection: Connection, roots: tuple[str, ...]) -> Scope:
    """The scope of an account given `roots` (none: everything)."""
    if not roots:
        return Scope(None, None)
    key = (str(connection.engine.url), roots)
    cached = _scopes.get(key)
    if cached is not None and time.monotonic() - cached[0] < SCOPE_TTL:
        return cached[1]
    scope = _walk(connection, roots)
    _scopes[key] = (time.monotonic(), scope)
    return scope


def _walk(connection: Connection, roots: tuple[str, ...]) -> Scope:
    tree = select(Unit.code, Unit.level).where(Unit.code.in_(roots)).cte(recursive=True)
    tree = tree.union_all(select(Unit.code, Unit.level).join(tree, Unit.parent_code == tree.c.code))
    communes = connection.scalars(select(tree.c.code).where(tree.c.level == "commune").distinct())
    return Scope(frozenset(roots), frozenset(communes))


def _lineage_query() -> Any:
    columns = (Unit.code, Unit.name, Unit.level, Unit.parent_code)
    up = (
        select(*columns, literal(0).label("depth"))
        .where(Unit.code == bindparam("code"))
        .cte(recursive=True)
    )
    up = up.union_all(
        select(*columns, (up.c.depth + 1).label("depth")).join(up, Unit.code == up.c.parent_code)
    )
    return select(up.c.code, up.c.name, up.c.level, up.c.parent_code).order_by(up.c.depth.desc())


# Built once: building the recursive query costs more than running it.
_LINEAGE = _lineage_query()
# Units change only when official units are loaded or an import adds a village (a new code):
# a known unit's lineage is kept for SCOPE_TTL seconds, per database.
_lineages: WeakKeyDictionary[Engine, dict[str, tuple[float, list[UnitRow]]]] = WeakKeyDictionary()


def lineage(connection: Connection, code: str) -> list[UnitRow]:
    """The unit and every unit above it, from the top down; empty if the unit is unknown."""
    known = _lineages.setdefault(connection.engine, {})
    cached = known.get(code)
    if cached is not None and time.monotonic() - cached[0] < SCOPE_TTL:
        return list(cached[1])
    found = [UnitRow(*row) for row in connection.execute(_LINEAGE, {"code": code})]
    if found:  # an unknown code may be added later: not kept
        known[code] = (time.monotonic(), found)
    return list(found)


def sees_unit(scope: Scope, units: list[UnitRow]) -> bool:
    """Whether a unit, given with its lineage, lies within the scope."""
    if not units:
        return False
    return scope.roots is None or any(u.code in scope.roots for u in units)


def household_filter(scope: Scope) -> ColumnElement[bool]:
    """A WHERE clause keeping the households in scope."""
    if scope.communes is None:
        return true()
    return Household.commune_code.in_(sorted(scope.communes))


def household_commune(connection: Connection, household_id: int) -> str | None:
    return connection.scalar(select(Household.commune_code).where(Household.id == household_id))


def known_units(connection: Connection, codes: list[str]) -> list[str]:
    """The codes among `codes` that name a unit the registry holds."""
    return list(connection.scalars(select(Unit.code).where(Unit.code.in_(codes))))

"""What an account may see: the units it was given with everything below them, as queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, literal, select, true

from ansinh.store.freshness import timed_cache_for
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


# The scope of the command line and of a reader of the whole country.
WHOLE_REGISTRY = Scope(None, None)


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str | None


# The communes under a unit change only when official units are loaded, and a unit's lineage
# when an import adds a village (a new code): kept a minute, per database, they spare a tree
# walk on every request.
SCOPE_TTL = 60.0


def scope_for(connection: Connection, roots: tuple[str, ...]) -> Scope:
    """The scope of an account given `roots` (none: everything)."""
    if not roots:
        return Scope(None, None)
    scopes = timed_cache_for(connection.engine, "scopes", SCOPE_TTL)
    return scopes.get(roots, lambda: _walk(connection, roots))


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


def lineage(connection: Connection, code: str) -> list[UnitRow]:
    """The unit and every unit above it, from the top down; empty if the unit is unknown."""
    lineages = timed_cache_for(connection.engine, "lineages", SCOPE_TTL)
    found = lineages.get(
        code,
        lambda: [UnitRow(*row) for row in connection.execute(_LINEAGE, {"code": code})],
        keep=bool,  # an unknown code may be added later: not kept
    )
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

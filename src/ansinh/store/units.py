"""Loading the official units from the vietnam-provinces package into the registry."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import vietnam_provinces
from sqlalchemy import Connection, false, func, insert, select, update

from ansinh.domain.units import COUNTRY_CODE, TWO_LEVEL_SINCE, AdminUnit, closure
from ansinh.store.audit import record_change
from ansinh.store.freshness import timed_cache_for
from ansinh.store.models import Unit


def official_units() -> list[AdminUnit]:
    """The country, its 34 provinces and 3,321 communes in force since 1 July 2025."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        provinces = json.load(handle)
    units = [AdminUnit(COUNTRY_CODE, "Việt Nam", "country", "quốc gia", None, TWO_LEVEL_SINCE)]
    for province in provinces:
        code = f"{province['code']:02d}"
        units.append(
            AdminUnit(
                code,
                province["name"],
                "province",
                province["division_type"],
                COUNTRY_CODE,
                TWO_LEVEL_SINCE,
            )
        )
        units.extend(
            AdminUnit(
                f"{ward['code']:05d}",
                ward["name"],
                "commune",
                ward["division_type"],
                code,
                TWO_LEVEL_SINCE,
            )
            for ward in province["wards"]
        )
    return units


def unit_row(unit: AdminUnit) -> dict[str, object]:
    return {
        "code": unit.code,
        "parent_code": unit.parent_code,
        "level": unit.level,
        "name": unit.name,
        "division_type": unit.division_type,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "legacy": unit.legacy,
    }


def add_units(connection: Connection, units: list[AdminUnit]) -> int:
    """Insert the units the registry does not have yet; parents before children."""
    existing = set(connection.scalars(select(Unit.code)))
    new = [unit_row(u) for u in units if u.code not in existing]
    if new:
        connection.execute(insert(Unit), new)
    return len(new)


def load_official_units(connection: Connection) -> int:
    return add_units(connection, official_units())


def unit_parents(connection: Connection) -> dict[str, str | None]:
    rows = connection.execute(select(Unit.code, Unit.parent_code))
    return {code: parent for code, parent in rows}


def units_valid_on(connection: Connection, day: date, level: str | None = None) -> set[str]:
    query = select(Unit.code).where(
        Unit.valid_from <= day, (Unit.valid_to.is_(None)) | (Unit.valid_to >= day)
    )
    if level is not None:
        query = query.where(Unit.level == level)
    return set(connection.scalars(query))


def closure_frame(connection: Connection) -> pl.DataFrame:
    """Each unit with every unit above it (itself included) and that unit's level."""
    rows = connection.execute(select(Unit.code, Unit.parent_code, Unit.level)).all()
    level_of = {code: level for code, _, level in rows}
    units = [
        AdminUnit(code, "", level, "", parent, TWO_LEVEL_SINCE) for code, parent, level in rows
    ]
    pairs = closure(units)
    return pl.DataFrame(
        [(code, above, level_of[above]) for code, above in pairs],
        schema={"unit_code": pl.String, "ancestor_code": pl.String, "ancestor_level": pl.String},
        orient="row",
    )


# Names change seldom; a search shows a unit name for each person found.
UNIT_NAMES_TTL = 60.0


def unit_names(connection: Connection, codes: set[str]) -> dict[str, str]:
    """The names of units by code, kept a minute; read again if one of `codes` is missing (a
    village an import has just added)."""
    names = timed_cache_for(connection.engine, "unit_names", UNIT_NAMES_TTL)

    def read() -> dict[str, str]:
        return {str(c): str(n) for c, n in connection.execute(select(Unit.code, Unit.name))}

    found = names.get(None, read)
    if codes <= found.keys():
        return found
    return names.get(None, read, fresh=True)


def mark_disadvantaged(
    connection: Connection, codes: list[str], actor: str, disadvantaged: bool = True
) -> int:
    """Mark communes or villages as extremely disadvantaged (or not), audited; return how many
    changed."""
    changed = list(
        connection.scalars(
            select(Unit.code).where(
                Unit.code.in_(codes),
                func.coalesce(Unit.disadvantaged, false()) != disadvantaged,
            )
        )
    )
    if changed:
        connection.execute(
            update(Unit).where(Unit.code.in_(changed)).values(disadvantaged=disadvantaged)
        )
        for code in changed:
            record_change(
                connection,
                actor=actor,
                action="update",
                entity="unit",
                key=code,
                after={"disadvantaged": disadvantaged},
                unit_code=code,
            )
    return len(changed)

"""The what-if of a year: its questionnaires under the standard in force and under another."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection

from ansinh.domain.poverty import PovertyStandard, list_standards, load_standard
from ansinh.domain.poverty.whatif import WhatIf, compare
from ansinh.errors import InputError
from ansinh.store.units import closure_frame, unit_names
from ansinh.store.whatif import year_questionnaires
from ansinh.workflows.review_years import standard_of_year


@dataclass(frozen=True)
class WhatIfReport:
    year: int
    unit_code: str
    unit_name: str
    result: WhatIf
    names: dict[str, str]  # commune code → name


def comparable_standards() -> list[PovertyStandard]:
    """The standards a what-if may use: every shipped one that is not an example."""
    return [s for s in list_standards() if not s.example]


def what_if(
    connection: Connection,
    year: int,
    unit: str,
    other_id: str,
    communes: frozenset[str] | None = None,
) -> WhatIfReport:
    """`unit`'s households (those of `communes` only, when given: a viewer's scope) under the
    year's standard and under `other_id`; nothing is stored."""
    base = standard_of_year(year)
    if base is None:
        raise InputError.single(
            "--year", f"Không có chuẩn nghèo năm {year}", f"No standard in force in {year}"
        )
    try:
        other = load_standard(other_id)
    except (LookupError, FileNotFoundError):
        raise InputError.single(
            "--standard", f"Không có chuẩn '{other_id}'", f"No standard '{other_id}'"
        ) from None
    names = unit_names(connection, {unit})
    if unit not in names:
        raise InputError.single("--unit", f"Không có đơn vị '{unit}'", f"No unit '{unit}'")
    closure = closure_frame(connection)
    under = set(closure.filter(pl.col("ancestor_code") == unit)["unit_code"])
    if communes is not None:
        under &= communes
    keys = list(dict.fromkeys([*base.indicators, *other.indicators]))
    found = year_questionnaires(connection, year, keys).filter(
        pl.col("unit_code").is_in(sorted(under))
    )
    if found.height == 0:
        raise InputError.single(
            "--year",
            f"Không có phiếu rà soát năm {year} ở {names[unit]}",
            f"No questionnaires of {year} in {names[unit]}",
        )
    result = compare(found, base, other)
    communes_named = unit_names(connection, set(found["unit_code"].unique()))
    return WhatIfReport(year, unit, names[unit], result, communes_named)

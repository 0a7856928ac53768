"""The monitoring rule tables shipped as data: programmes, NTM criteria sets, target sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

from ansinh.domain.monitoring.ntm import CriteriaSet, Criterion
from ansinh.domain.monitoring.targets import COMPARATOR_NAMES, Target
from ansinh.domain.rule_files import Checker, Located, parse_yaml
from ansinh.errors import InputError

FOLDER = ("data", "monitoring")


@dataclass(frozen=True)
class Programme:
    code: str
    name_vi: str
    name_en: str
    valid_from: date
    valid_to: date | None
    replaced_by: str | None = None

    def in_force_during(self, first_year: int, last_year: int) -> bool:
        """Whether the programme was in force at any time from `first_year` to `last_year`."""
        ends = self.valid_to.year if self.valid_to else last_year
        return self.valid_from.year <= last_year and ends >= first_year


@dataclass(frozen=True)
class TargetSet:
    id: str
    name_vi: str
    name_en: str
    targets: tuple[Target, ...]
    # target_id → the registry indicator that observes it (store/monitoring.py), if any.
    indicators: dict[str, str]


def _read(*parts: str) -> tuple[Any, Checker]:
    entry = resources.files("ansinh").joinpath(*FOLDER, *parts)
    file = "/".join((*FOLDER, *parts))
    data, problems = parse_yaml(entry.read_text(encoding="utf-8"), file)
    return data, Checker(file, problems)


def _raise(check: Checker) -> None:
    if check.problems:
        raise InputError(check.problems)


@lru_cache(maxsize=1)
def programmes() -> tuple[Programme, ...]:
    """The national target programmes, in the order reports list them."""
    data, check = _read("programmes.yaml")
    top = check.mapping(
        data,
        "",
        frozenset({"programmes", "capital", "references"}),
        frozenset({"last_value_still_valid_on"}),
        line=1,
    )
    found = []
    for index, item in enumerate(check.items(top or Located(), "programmes", "")):
        where = f"programmes[{index}]"
        row = check.mapping(
            item,
            where,
            frozenset({"code", "name_vi", "name_en", "valid_from", "references"}),
            frozenset({"valid_to", "replaced_by"}),
        )
        if row is None:
            continue
        start = check.day(row, "valid_from", where)
        code = check.text(row, "code", where)
        name_vi, name_en = check.text(row, "name_vi", where), check.text(row, "name_en", where)
        end = check.day(row, "valid_to", where)
        successor = str(row["replaced_by"]) if "replaced_by" in row else None
        if start is not None:
            found.append(Programme(code, name_vi, name_en, start, end, successor))
    _raise(check)
    return tuple(found)


def programme_codes() -> tuple[str, ...]:
    return tuple(p.code for p in programmes())


@lru_cache(maxsize=1)
def disbursement_deadline() -> str:
    """MM-DD of the year after the plan year until which its capital may be disbursed."""
    data, _ = _read("programmes.yaml")
    return str(data["capital"]["disbursement_deadline"])


_SET_KEYS = frozenset(
    {"id", "name_vi", "name_en", "level", "valid_from", "source", "criteria", "valid_to"}
)
# Documentation a set may carry: its references, indicator count and groups of communes.
_SET_NOTES = frozenset({"last_value_still_valid_on", "references", "indicators", "groups"})


@lru_cache(maxsize=8)
def criteria_sets() -> tuple[CriteriaSet, ...]:
    """Every shipped NTM criteria set, each with its validity and legal source."""
    folder = resources.files("ansinh").joinpath(*FOLDER, "ntm")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    return tuple(_criteria_set(name) for name in names)


def _criteria_set(name: str) -> CriteriaSet:
    data, check = _read("ntm", name)
    top = check.mapping(data, "", _SET_KEYS, _SET_NOTES, line=1)
    criteria = []
    for index, item in enumerate(check.items(top or Located(), "criteria", "")):
        where = f"criteria[{index}]"
        row = check.mapping(item, where, frozenset({"number", "key", "name_vi", "name_en"}))
        if row is not None:
            criteria.append(
                Criterion(
                    check.whole(row, "number", where),
                    check.text(row, "key", where),
                    check.text(row, "name_vi", where),
                    check.text(row, "name_en", where),
                )
            )
    if [c.number for c in criteria] != list(range(1, len(criteria) + 1)):
        check.add(None, "criteria", "phải đánh số 1, 2, 3…", "must be numbered 1, 2, 3…")
    top = top or Located()
    start = check.day(top, "valid_from", "")
    _raise(check)
    assert start is not None
    return CriteriaSet(
        id=check.text(top, "id", ""),
        name_vi=check.text(top, "name_vi", ""),
        name_en=check.text(top, "name_en", ""),
        level=check.text(top, "level", ""),
        valid_from=start,
        valid_to=check.day(top, "valid_to", ""),
        criteria=tuple(criteria),
        source=check.text(top, "source", ""),
    )


def criteria_set(set_id: str | None, year: int) -> CriteriaSet:
    """The named set, or the commune set in force at the end of `year`."""
    sets = criteria_sets()
    if set_id is not None:
        chosen = [s for s in sets if s.id == set_id]
    else:
        chosen = [s for s in sets if s.level == "commune" and s.in_force(date(year, 12, 31))]
    if not chosen:
        known = ", ".join(s.id for s in sets)
        raise InputError.single(
            "--criteria-set",
            f"Không có bộ tiêu chí NTM phù hợp (năm {year}); có: {known}",
            f"No matching NTM criteria set (year {year}); known: {known}",
        )
    return chosen[-1]


_TARGET_KEYS = frozenset(
    {
        "target_id",
        "group",
        "name_vi",
        "name_en",
        "unit_of_measure",
        "target_value",
        "comparator",
        "tolerance",
        "deadline_year",
        "references",
    }
)


def target_set_ids() -> list[str]:
    folder = resources.files("ansinh").joinpath(*FOLDER, "targets")
    return sorted(e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name[0] != ".")


@lru_cache(maxsize=8)
def target_set(set_id: str) -> TargetSet:
    """A shipped target set by id (the file name under data/monitoring/targets)."""
    if set_id not in target_set_ids():
        raise InputError.single(
            set_id, "Không có bộ mục tiêu này", f"No such target set: {', '.join(target_set_ids())}"
        )
    data, check = _read("targets", f"{set_id}.yaml")
    top = check.mapping(
        data,
        "",
        frozenset({"id", "name_vi", "name_en", "unit_code", "references", "targets"}),
        line=1,
    )
    top = top or Located()
    unit = check.text(top, "unit_code", "")
    targets, indicators = [], {}
    for index, item in enumerate(check.items(top, "targets", "")):
        where = f"targets[{index}]"
        optional = frozenset({"baseline_value", "baseline_year", "indicator", "unit_code"})
        row = check.mapping(item, where, _TARGET_KEYS, optional)
        if row is None:
            continue
        target = _target(check, row, where, unit)
        if target is not None:
            targets.append(target)
            if "indicator" in row:
                indicators[target.target_id] = check.text(row, "indicator", where)
    _raise(check)
    return TargetSet(
        set_id,
        check.text(top, "name_vi", ""),
        check.text(top, "name_en", ""),
        tuple(targets),
        indicators,
    )


def _target(check: Checker, row: Located, where: str, unit: str) -> Target | None:
    comparator = COMPARATOR_NAMES.get(str(row.get("comparator")))
    if comparator is None:
        check.add(check.line_of(row, "comparator"), f"{where}.comparator", "sai", "unknown")
        return None
    baseline = _decimal(check, row, "baseline_value", where)
    return Target(
        target_id=check.text(row, "target_id", where),
        group=check.text(row, "group", where),
        name=check.text(row, "name_vi", where),
        unit_of_measure=check.text(row, "unit_of_measure", where),
        baseline_value=baseline,
        baseline_year=check.whole(row, "baseline_year", where) if baseline is not None else None,
        target_value=_decimal(check, row, "target_value", where) or Decimal(0),
        comparator=comparator,
        tolerance=_decimal(check, row, "tolerance", where) or Decimal(0),
        deadline_year=check.whole(row, "deadline_year", where),
        unit_code=str(row.get("unit_code", unit)),
    )


def _decimal(check: Checker, row: Located, key: str, where: str) -> Decimal | None:
    if key not in row:
        return None
    try:
        return Decimal(str(row[key]))
    except InvalidOperation:
        check.add(check.line_of(row, key), f"{where}.{key}", "phải là số", "must be a number")
        return None

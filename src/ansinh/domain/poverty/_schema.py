"""The standard file's schema: turns checked YAML mappings into a PovertyStandard."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from ansinh.domain.poverty.alkire_foster import WEIGHT_TOLERANCE
from ansinh.domain.poverty.standard import (
    AREAS,
    SCOPES,
    STATUSES,
    Dimension,
    IncomeLine,
    Indicator,
    PovertyStandard,
    Reference,
    Rule,
)
from ansinh.domain.rule_files import Checker, Located

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP = frozenset(
    {
        "id",
        "name_vi",
        "name_en",
        "scope",
        "provisional",
        "valid_from",
        "valid_to",
        "validity_references",
        "last_value_still_valid_on",
        "references",
        "dimensions",
        "income_lines",
        "rules",
        "mpi",
    }
)
_NAMES = frozenset({"key", "name_vi", "name_en"})
_CONDITIONS = ("income_at_most", "income_above", "deprivations_at_least", "deprivations_below")


def parse_standard(check: Checker, data: Any, file: str) -> PovertyStandard | None:
    """The standard, or None when problems were noted in `check` (the caller raises them)."""
    top = check.mapping(data, "", _TOP, frozenset({"example", "notes"}), line=1)
    if top is None:
        return None
    references = _references(check, top)
    refs = _RefChecker(check, frozenset(references))
    dimensions = _dimensions(check, top, refs)
    lines = _lines(check, top, refs)
    rules = _rules(check, top, refs, frozenset(lines))
    indicators = tuple(i.key for d in dimensions for i in d.indicators)
    weights, k, mpi_refs = _mpi(check, top, refs, dimensions, indicators)
    valid_from = check.day(top, "valid_from", "")
    valid_to = check.day(top, "valid_to", "")
    checked_on = check.day(top, "last_value_still_valid_on", "")
    if valid_from and valid_to and valid_from > valid_to:
        check.add(
            check.line_of(top, "valid_to"),
            "valid_to",
            "valid_to trước valid_from",
            "valid_to is before valid_from",
        )
    scope = check.text(top, "scope", "")
    if scope and scope not in SCOPES:
        check.add(check.line_of(top, "scope"), "scope", "phạm vi lạ", f"scope must be {SCOPES}")
    standard_id = check.text(top, "id", "")
    if standard_id and not _ID.match(standard_id):
        check.add(check.line_of(top, "id"), "id", "id không hợp lệ", "id must be lower-case-kebab")
    if check.problems or not (valid_from and valid_to and checked_on):
        return None
    return PovertyStandard(
        id=standard_id,
        name_vi=check.text(top, "name_vi", ""),
        name_en=check.text(top, "name_en", ""),
        scope=scope,
        example=check.flag(top, "example", ""),
        provisional=check.flag(top, "provisional", ""),
        valid_from=valid_from,
        valid_to=valid_to,
        last_value_still_valid_on=checked_on,
        references=references,
        validity_references=refs.take(top, "validity_references", ""),
        dimensions=dimensions,
        income_lines=lines,
        rules=rules,
        indicator_weights=weights,
        mpi_k=k,
        mpi_references=mpi_refs,
        notes=_notes(check, top),
        source=file,
    )


class _RefChecker:
    """Reads a `references` list of ids and checks every id is declared in the file."""

    def __init__(self, check: Checker, known: frozenset[str]) -> None:
        self.check = check
        self.known = known

    def take(self, m: Located, key: str, where: str) -> tuple[str, ...]:
        if key not in m:
            return ()  # the mapping check has already said the key is missing
        raw = m.get(key)
        ids = [raw] if isinstance(raw, str) else raw
        path = f"{where}.{key}" if where else key
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            self.check.add(
                self.check.line_of(m, key),
                path,
                "cần ít nhất một căn cứ (id trong references)",
                "needs at least one reference (an id from references)",
            )
            return ()
        for ref in ids:
            if ref not in self.known:
                self.check.add(
                    self.check.line_of(m, key),
                    path,
                    f"căn cứ '{ref}' không có trong references",
                    f"reference '{ref}' is not declared in references",
                )
        return tuple(ids)


def _references(check: Checker, top: Located) -> dict[str, Reference]:
    result: dict[str, Reference] = {}
    for i, raw in enumerate(check.items(top, "references", "")):
        where = f"references[{i}]"
        m = check.mapping(
            raw,
            where,
            frozenset({"id", "title"}),
            frozenset({"article", "url", "note"}),
            check.line_of(top, "references"),
        )
        if m is None:
            continue
        ref = Reference(
            id=check.text(m, "id", where),
            title=check.text(m, "title", where),
            article=check.text(m, "article", where),
            url=check.text(m, "url", where),
            note=check.text(m, "note", where),
        )
        if ref.id in result:
            check.add(m.line, f"{where}.id", f"căn cứ '{ref.id}' bị lặp", "duplicate reference id")
        result[ref.id] = ref
    return result


def _dimensions(check: Checker, top: Located, refs: _RefChecker) -> tuple[Dimension, ...]:
    dimensions: list[Dimension] = []
    seen: set[str] = set()
    for i, raw in enumerate(check.items(top, "dimensions", "")):
        where = f"dimensions[{i}]"
        m = check.mapping(
            raw, where, _NAMES | {"indicators"}, line=check.line_of(top, "dimensions")
        )
        if m is None:
            continue
        indicators = tuple(
            _indicator(check, item, f"{where}.indicators[{j}]", refs, seen, m)
            for j, item in enumerate(check.items(m, "indicators", where))
        )
        dimensions.append(
            Dimension(
                key=_key(check, m, where),
                name_vi=check.text(m, "name_vi", where),
                name_en=check.text(m, "name_en", where),
                indicators=tuple(ind for ind in indicators if ind is not None),
            )
        )
    _no_duplicates(check, top, "dimensions", [d.key for d in dimensions])
    return tuple(dimensions)


def _indicator(
    check: Checker, raw: Any, where: str, refs: _RefChecker, seen: set[str], parent: Located
) -> Indicator | None:
    m = check.mapping(
        raw,
        where,
        _NAMES | {"definition_vi", "references"},
        frozenset({"definition_en", "provisional"}),
        check.line_of(parent, "indicators"),
    )
    if m is None:
        return None
    key = _key(check, m, where)
    if key in seen:
        check.add(m.line, f"{where}.key", f"chỉ số '{key}' bị lặp", f"duplicate indicator '{key}'")
    seen.add(key)
    return Indicator(
        key=key,
        name_vi=check.text(m, "name_vi", where),
        name_en=check.text(m, "name_en", where),
        definition_vi=check.text(m, "definition_vi", where),
        definition_en=check.text(m, "definition_en", where),
        provisional=check.flag(m, "provisional", where),
        references=refs.take(m, "references", where),
    )


def _lines(check: Checker, top: Located, refs: _RefChecker) -> dict[str, IncomeLine]:
    lines: dict[str, IncomeLine] = {}
    raw_lines = check.any_keys(
        top.get("income_lines"), "income_lines", check.line_of(top, "income_lines")
    )
    for key, raw in (raw_lines or {}).items():
        where = f"income_lines.{key}"
        m = check.mapping(
            raw,
            where,
            frozenset({"name_vi", "name_en", "references", *AREAS}),
            frozenset({"provisional"}),
            check.line_of(raw_lines, key) if raw_lines is not None else None,
        )
        if m is None:
            continue
        if not _KEY.match(key):
            check.add(m.line, where, "tên chuẩn không hợp lệ", "line name must be snake_case")
        lines[key] = IncomeLine(
            key=key,
            name_vi=check.text(m, "name_vi", where),
            name_en=check.text(m, "name_en", where),
            values={area: check.whole(m, area, where) for area in AREAS},
            references=refs.take(m, "references", where),
            provisional=check.flag(m, "provisional", where),
        )
    return lines


def _rules(
    check: Checker, top: Located, refs: _RefChecker, lines: frozenset[str]
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    raw_rules = check.items(top, "rules", "")
    for i, raw in enumerate(raw_rules):
        where = f"rules[{i}]"
        m = check.mapping(
            raw,
            where,
            frozenset({"status", "references"}),
            frozenset(_CONDITIONS),
            check.line_of(top, "rules"),
        )
        if m is None:
            continue
        rule = _rule(check, m, where, refs, lines)
        is_last = i == len(raw_rules) - 1
        if (
            rule.line is None
            and rule.deprivations_at_least is None
            and rule.deprivations_below is None
        ) != is_last:
            check.add(
                m.line,
                where,
                "chỉ quy tắc cuối cùng (và nó bắt buộc) không có điều kiện",
                "exactly the last rule must have no conditions (it catches every household)",
            )
        rules.append(rule)
    return tuple(rules)


def _rule(check: Checker, m: Located, where: str, refs: _RefChecker, lines: frozenset[str]) -> Rule:
    status = check.text(m, "status", where)
    if status and status not in STATUSES:
        check.add(
            m.line, f"{where}.status", f"trạng thái lạ '{status}'", f"status must be {STATUSES}"
        )
    for key in ("income_at_most", "income_above"):
        name = m.get(key)
        if key in m and name not in lines:
            check.add(
                check.line_of(m, key),
                f"{where}.{key}",
                f"quy tắc dùng chuẩn thu nhập không có: '{name}'",
                f"rule names an unknown income line '{name}'",
            )
    counts = {
        key: check.whole(m, key, where) if key in m else None
        for key in ("deprivations_at_least", "deprivations_below")
    }
    return Rule(
        status=status,
        references=refs.take(m, "references", where),
        income_at_most=m.get("income_at_most"),
        income_above=m.get("income_above"),
        deprivations_at_least=counts["deprivations_at_least"],
        deprivations_below=counts["deprivations_below"],
    )


def _mpi(
    check: Checker,
    top: Located,
    refs: _RefChecker,
    dimensions: tuple[Dimension, ...],
    indicators: tuple[str, ...],
) -> tuple[dict[str, float], float, tuple[str, ...]]:
    m = check.mapping(top.get("mpi"), "mpi", frozenset({"k", "weights", "references"}))
    if m is None:
        return {}, 0.0, ()
    k = parse_k(m.get("k"))
    if k is None:
        check.add(check.line_of(m, "k"), "mpi.k", "k phải trong (0, 1]", "k must be in (0, 1]")
    weights = _weights(check, m, dimensions, indicators)
    return weights, float(k or 0), refs.take(m, "references", "mpi")


def parse_k(value: object) -> Fraction | None:
    """A poverty cut-off k from a number or a fraction such as '1/3'; None unless 0 < k ≤ 1."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        k = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None
    return k if 0 < k <= 1 else None


def _weights(
    check: Checker, m: Located, dimensions: tuple[Dimension, ...], indicators: tuple[str, ...]
) -> dict[str, float]:
    raw = m.get("weights")
    if raw == "equal":
        return {key: 1 / len(indicators) for key in indicators} if indicators else {}
    if raw == "equal_nested":
        return {
            ind.key: 1 / len(dimensions) / len(dim.indicators)
            for dim in dimensions
            for ind in dim.indicators
        }
    line = check.line_of(m, "weights")
    if not isinstance(raw, Located) or set(raw) != set(indicators):
        check.add(
            line,
            "mpi.weights",
            "trọng số phải là equal, equal_nested hoặc một bảng đủ mọi chỉ số",
            "weights must be equal, equal_nested or a mapping of every indicator",
        )
        return {}
    weights = {key: raw[key] for key in indicators}
    if not all(
        isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in weights.values()
    ):
        check.add(line, "mpi.weights", "trọng số phải là số ≥ 0", "weights must be numbers ≥ 0")
        return {}
    if abs(sum(weights.values()) - 1) > WEIGHT_TOLERANCE:
        check.add(line, "mpi.weights", "tổng trọng số phải bằng 1", "weights must sum to 1")
    return {key: float(w) for key, w in weights.items()}


def _key(check: Checker, m: Located, where: str) -> str:
    key = check.text(m, "key", where)
    if key and not _KEY.match(key):
        check.add(
            check.line_of(m, "key"), f"{where}.key", "khoá không hợp lệ", "key must be snake_case"
        )
    return key


def _no_duplicates(check: Checker, top: Located, where: str, keys: list[str]) -> None:
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        check.add(check.line_of(top, where), where, f"'{key}' bị lặp", f"'{key}' is repeated")


def _notes(check: Checker, top: Located) -> tuple[str, ...]:
    raw = top.get("notes", [])
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        check.add(
            check.line_of(top, "notes"),
            "notes",
            "ghi chú phải là danh sách chữ",
            "notes must be a list of text",
        )
        return ()
    return tuple(n.strip() for n in raw)

"""Reads benefit programmes and bases from dated YAML, strictly: every problem with its line."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ansinh.domain.benefits.rules import (
    PAYS,
    PERIODICITY,
    Attachment,
    Base,
    BaseValue,
    Category,
    Eligibility,
    LevelRow,
    LevelSet,
    Programme,
    Rules,
)
from ansinh.domain.rule_files import Checker, Located, parse_yaml
from ansinh.errors import InputError

PROGRAMME_KEYS = frozenset(
    {
        "programme",
        "name_vi",
        "name_en",
        "pays",
        "periodicity",
        "categories",
        "references",
        "last_value_still_valid_on",
    }
)
PROGRAMME_OPTIONAL = frozenset(
    {"base", "highest_only", "paid_besides_highest", "excluded_by", "highest_with", "scope"}
)
CATEGORY_KEYS = frozenset({"code", "name_vi", "name_en", "reference", "levels"})
CATEGORY_OPTIONAL = frozenset({"note", "level_by", "attach", "eligibility", "monthly"})
ROW_KEYS = frozenset(
    {
        "coefficient",
        "amount",
        "age_from",
        "age_below",
        "injury_rate_from",
        "injury_rate_to",
        "per_child",
        "note",
        "reference",
    }
)
ELIGIBILITY_KEYS = frozenset(
    {
        "age_from",
        "age_below",
        "household_status",
        "disability",
        "disadvantaged_area",
        "no_pension",
        "note",
        "checkable",
    }
)
REFERENCE_KEYS = frozenset({"id", "title"})
REFERENCE_OPTIONAL = frozenset({"article", "url", "note"})
LEVEL_BY = ("injury_rate", "children")
HOUSEHOLD_STATUSES = ("poor", "near_poor")
DISABILITIES = ("severe", "extremely_severe")


class BenefitRuleError(InputError):
    """A programme or bases file that does not fit the schema, each problem with file and line."""


def load_programme_file(path: Path) -> Programme:
    """A province's own programme file (the same schema as the shipped ones)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        raise BenefitRuleError.single(
            str(path), "không đọc được tệp chương trình (UTF-8)", "cannot read the programme file"
        ) from None
    return parse_programme(text, str(path))


def parse_programme(text: str, file: str) -> Programme:
    data, problems = parse_yaml(text, file)
    check = Checker(file, problems)
    programme = _programme(check, data) if data is not None else None
    if programme is None and not check.problems:
        check.add(None, "", "tệp rỗng", "the file is empty")
    if check.problems or programme is None:
        raise BenefitRuleError(check.problems)
    return programme


def load_bases() -> dict[str, Base]:
    return dict(_shipped_bases())


def load_programme(code: str) -> Programme:
    found = shipped_programmes()
    if code not in found:
        raise BenefitRuleError.single(
            code,
            f"không có chương trình '{code}'; có: {', '.join(found)}",
            f"no programme '{code}'; shipped: {', '.join(found)}",
        )
    return found[code]


def shipped_programmes() -> dict[str, Programme]:
    return dict(_shipped_programmes())


def shipped_rules(extra: tuple[Programme, ...] = ()) -> Rules:
    """The shipped bases and programmes, with a province's own programmes added."""
    programmes = shipped_programmes() | {p.code: p for p in extra}
    bases = load_bases()
    for programme in programmes.values():
        if programme.base is not None and programme.base not in bases:
            raise BenefitRuleError.single(
                programme.code,
                f"mức chuẩn '{programme.base}' không có trong bases.yaml",
                f"base '{programme.base}' is not in bases.yaml",
                column="base",
            )
    return Rules(bases, programmes)


def _folder() -> Any:
    return resources.files("ansinh").joinpath("data", "benefits")


@lru_cache(maxsize=1)
def _shipped_programmes() -> tuple[tuple[str, Programme], ...]:
    found = []
    for entry in sorted(_folder().joinpath("programmes").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            file = f"ansinh/data/benefits/programmes/{entry.name}"
            programme = parse_programme(entry.read_text(encoding="utf-8"), file)
            found.append((programme.code, programme))
    return tuple(found)


@lru_cache(maxsize=1)
def _shipped_bases() -> tuple[tuple[str, Base], ...]:
    file = "ansinh/data/benefits/bases.yaml"
    data, problems = parse_yaml(_folder().joinpath("bases.yaml").read_text("utf-8"), file)
    check = Checker(file, problems)
    bases = _bases(check, data)
    if check.problems:
        raise BenefitRuleError(check.problems)
    return tuple((b.code, b) for b in bases)


def _bases(check: Checker, data: Any) -> list[Base]:
    top = check.mapping(data, "", frozenset({"bases", "references", "last_value_still_valid_on"}))
    if top is None:
        return []
    references = _references(check, top)
    bases = []
    table = check.any_keys(top.get("bases"), "bases", top.line)
    for code, entry, line in _entries(table):
        where = f"bases.{code}"
        m = check.mapping(
            entry,
            where,
            frozenset({"name_vi", "name_en", "unit", "values"}),
            frozenset({"note", "last_value_still_valid_on"}),
            line,
        )
        if m is None:
            continue
        values = []
        dated = check.any_keys(m.get("values"), f"{where}.values", m.line)
        for day_text, value, line in _entries(dated):
            day = _date(check, day_text, f"{where}.values", line)
            v = check.mapping(
                value,
                f"{where}.values.{day_text}",
                frozenset({"value", "reference"}),
                frozenset({"note", "provisional"}),
                line,
            )
            if day is None or v is None:
                continue
            ref = _reference(check, v, f"{where}.values.{day_text}", references)
            number = _number(check, v, "value", f"{where}.values.{day_text}")
            provisional = check.flag(v, "provisional", where)
            if number is not None:
                values.append(BaseValue(day, number, ref, provisional))
        names = check.text(m, "name_vi", where), check.text(m, "name_en", where)
        bases.append(Base(code, *names, tuple(sorted(values, key=lambda v: v.valid_from))))
    return bases


def _programme(check: Checker, data: Any) -> Programme | None:
    top = check.mapping(data, "", PROGRAMME_KEYS, PROGRAMME_OPTIONAL)
    if top is None:
        return None
    references = _references(check, top)
    code = check.text(top, "programme", "")
    pays = _choice(check, top, "pays", PAYS, "")
    periodicity = _choice(check, top, "periodicity", PERIODICITY, "")
    categories = [
        c
        for i, item in enumerate(check.items(top, "categories", ""))
        if (c := _category(check, item, f"categories[{i}]", references)) is not None
    ]
    codes = [c.code for c in categories]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        check.add(
            check.line_of(top, "categories"),
            "categories",
            f"mã diện '{duplicate}' bị lặp",
            f"duplicate category '{duplicate}'",
        )
    known = set(codes)
    highest_only = tuple(
        tuple(_codes(check, g, "categories", f"highest_only[{i}]", known))
        for i, g in enumerate(_groups(check, top, "highest_only", references))
    )
    excluded_by = tuple(
        (
            check.text(g, "category", f"excluded_by[{i}]"),
            tuple(_codes(check, g, "by", f"excluded_by[{i}]", known)),
        )
        for i, g in enumerate(_groups(check, top, "excluded_by", references))
    )
    besides = _code_list(check, top, "paid_besides_highest", known)
    for category in categories:
        for attached in category.attach:
            if attached.category not in known:
                check.add(
                    check.line_of(top, "categories"),
                    f"{category.code}.attach",
                    f"diện kèm theo '{attached.category}' không có trong tệp",
                    f"attached category '{attached.category}' is not in the file",
                )
    base = top.get("base")
    if base is not None and not isinstance(base, str):
        check.add(check.line_of(top, "base"), "base", "phải là mã mức chuẩn", "must be a base code")
    if base is None and any(
        r.coefficient is not None for c in categories for s in c.levels for r in s.rows
    ):
        check.add(top.line, "base", "hệ số cần một mức chuẩn (base)", "coefficients need a base")
    return Programme(
        code,
        check.text(top, "name_vi", ""),
        check.text(top, "name_en", ""),
        base if isinstance(base, str) else None,
        pays,
        periodicity,
        tuple(categories),
        highest_only,
        besides,
        excluded_by,
        tuple(top.get("highest_with") or ()),
        _scope(top),
        str(top.get("last_value_still_valid_on", "")),
    )


def _scope(top: Located) -> str | None:
    scope = top.get("scope")
    return str(scope) if scope is not None else None


def _category(check: Checker, item: Any, where: str, references: set[str]) -> Category | None:
    m = check.mapping(item, where, CATEGORY_KEYS, CATEGORY_OPTIONAL)
    if m is None:
        return None
    code = check.text(m, "code", where)
    where = f"{where}({code})"
    _reference(check, m, where, references)
    level_by = m.get("level_by")
    if level_by is not None and level_by not in LEVEL_BY:
        check.add(
            check.line_of(m, "level_by"),
            f"{where}.level_by",
            f"phải là một trong {LEVEL_BY}",
            f"must be one of {LEVEL_BY}",
        )
    levels = _level_sets(check, m, where, references)
    if level_by == "injury_rate":
        for level in levels:
            if any(r.injury_rate_from is None for r in level.rows):
                check.add(
                    check.line_of(m, "levels"),
                    f"{where}.levels",
                    "mỗi dòng cần injury_rate_from",
                    "each row needs injury_rate_from",
                )
    return Category(
        code,
        check.text(m, "name_vi", where),
        check.text(m, "name_en", where),
        str(m.get("reference", "")),
        tuple(levels),
        level_by if level_by in LEVEL_BY else None,
        check.flag(m, "monthly", where, True),
        _eligibility(check, m.get("eligibility"), f"{where}.eligibility", m),
        tuple(_attachments(check, m, where)),
    )


def _level_sets(check: Checker, m: Located, where: str, references: set[str]) -> list[LevelSet]:
    dated = m.get("levels")
    if dated == {} and m.get("monthly") is False:
        return []
    dated = check.any_keys(dated, f"{where}.levels", check.line_of(m, "levels"))
    sets = []
    for day_text, value, line in _entries(dated):
        day = _date(check, day_text, f"{where}.levels", line)
        at = f"{where}.levels.{day_text}"
        if value is None:  # the category ends on this day (a dated null, never a deletion)
            if day is not None:
                sets.append(LevelSet(day, "", ()))
            continue
        s = check.mapping(
            value,
            at,
            frozenset({"reference"}),
            frozenset({"rows", "amount", "coefficient", "note"}),
            line,
        )
        if s is None or day is None:
            continue
        reference = _reference(check, s, at, references)
        if "rows" in s:
            rows = [
                _row(check, r, f"{at}.rows[{i}]") for i, r in enumerate(check.items(s, "rows", at))
            ]
        else:
            rows = [_row(check, s, at, ROW_KEYS | {"rows"})]
        sets.append(LevelSet(day, reference, tuple(r for r in rows if r is not None)))
    return sorted(sets, key=lambda s: s.valid_from)


def _row(
    check: Checker, item: Any, where: str, allowed: frozenset[str] = ROW_KEYS
) -> LevelRow | None:
    m = check.mapping(item, where, frozenset(), allowed)
    if m is None:
        return None
    coefficient = _number(check, m, "coefficient", where)
    amount = _number(check, m, "amount", where)
    if (coefficient is None) == (amount is None):
        check.add(
            m.line,
            where,
            "cần đúng một trong amount, coefficient",
            "needs exactly one of amount, coefficient",
        )
    bounds = {
        k: _whole(check, m, k, where)
        for k in ("age_from", "age_below", "injury_rate_from", "injury_rate_to")
    }
    _ordered(check, m, where, bounds["age_from"], bounds["age_below"], "age_from < age_below", True)
    _ordered(
        check,
        m,
        where,
        bounds["injury_rate_from"],
        bounds["injury_rate_to"],
        "injury_rate_from ≤ injury_rate_to",
        False,
    )
    return LevelRow(
        coefficient,
        int(amount) if amount is not None else None,
        per_child=check.flag(m, "per_child", where),
        **bounds,
    )


def _ordered(
    check: Checker,
    m: Located,
    where: str,
    low: int | None,
    high: int | None,
    rule: str,
    strict: bool,
) -> None:
    if low is not None and high is not None and (low >= high if strict else low > high):
        check.add(m.line, where, f"phải có {rule}", f"must have {rule}")


def _eligibility(check: Checker, item: Any, where: str, parent: Located) -> Eligibility:
    if item is None:
        return Eligibility()
    m = check.mapping(
        item, where, frozenset(), ELIGIBILITY_KEYS, check.line_of(parent, "eligibility")
    )
    if m is None:
        return Eligibility()
    statuses = tuple(m.get("household_status") or ())
    for status in statuses:
        if status not in HOUSEHOLD_STATUSES:
            check.add(
                m.line,
                f"{where}.household_status",
                f"tình trạng lạ '{status}'",
                f"unknown status '{status}'",
            )
    disability = m.get("disability")
    if disability is not None and disability not in DISABILITIES:
        check.add(
            m.line,
            f"{where}.disability",
            f"phải là một trong {DISABILITIES}",
            f"must be one of {DISABILITIES}",
        )
    return Eligibility(
        _whole(check, m, "age_from", where),
        _whole(check, m, "age_below", where),
        statuses,
        disability,
        check.flag(m, "disadvantaged_area", where),
        check.flag(m, "no_pension", where),
        str(m.get("note", "")),
        check.flag(m, "checkable", where),
    )


def _attachments(check: Checker, m: Located, where: str) -> list[Attachment]:
    found = []
    for i, item in enumerate(m.get("attach") or ()):
        a = check.mapping(
            item,
            f"{where}.attach[{i}]",
            frozenset({"category"}),
            frozenset({"injury_rate_from", "reference"}),
            check.line_of(m, "attach"),
        )
        if a is not None:
            found.append(
                Attachment(
                    check.text(a, "category", where), _whole(check, a, "injury_rate_from", where)
                )
            )
    return found


def _groups(check: Checker, top: Located, key: str, references: set[str]) -> list[Located]:
    groups = []
    for i, item in enumerate(top.get(key) or ()):
        allowed = (
            frozenset({"categories"}) if key == "highest_only" else frozenset({"category", "by"})
        )
        g = check.mapping(
            item,
            f"{key}[{i}]",
            allowed | {"reference"},
            frozenset({"note"}),
            check.line_of(top, key),
        )
        if g is not None:
            _reference(check, g, f"{key}[{i}]", references)
            groups.append(g)
    return groups


def _codes(check: Checker, m: Located, key: str, where: str, known: set[str]) -> list[str]:
    codes = [str(c) for c in (m.get(key) or ())]
    for code in codes:
        if code not in known:
            check.add(
                m.line,
                f"{where}.{key}",
                f"diện '{code}' không có trong tệp",
                f"category '{code}' is not in the file",
            )
    return codes


def _code_list(check: Checker, top: Located, key: str, known: set[str]) -> tuple[str, ...]:
    return tuple(_codes(check, top, key, key, known)) if key in top else ()


def _references(check: Checker, top: Located) -> set[str]:
    ids = set()
    for i, item in enumerate(check.items(top, "references", "")):
        r = check.mapping(
            item,
            f"references[{i}]",
            REFERENCE_KEYS,
            REFERENCE_OPTIONAL,
            check.line_of(top, "references"),
        )
        if r is not None:
            ids.add(str(r.get("id")))
    return ids


def _reference(check: Checker, m: Located, where: str, known: set[str]) -> str:
    reference = str(m.get("reference", ""))
    if reference not in known:
        check.add(
            check.line_of(m, "reference"),
            f"{where}.reference",
            f"tham chiếu '{reference}' không có trong references",
            f"reference '{reference}' is not in references",
        )
    return reference


def _choice(check: Checker, m: Located, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = m.get(key)
    if value not in allowed:
        check.add(
            check.line_of(m, key), key, f"phải là một trong {allowed}", f"must be one of {allowed}"
        )
        return allowed[0]
    return str(value)


def _entries(m: Located | None) -> list[tuple[Any, Any, int]]:
    """A mapping's keys, values and the line of each key; none for a mapping that is not."""
    if m is None:
        return []
    return [(key, value, m.key_lines.get(key, m.line)) for key, value in m.items()]


def _date(check: Checker, text: Any, where: str, line: int) -> date | None:
    if len(str(text)) == 10:
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            pass
    check.add(
        line,
        where,
        f"ngày không hợp lệ '{text}' (YYYY-MM-DD)",
        f"malformed date '{text}' (expected YYYY-MM-DD)",
    )
    return None


def _number(check: Checker, m: Located, key: str, where: str) -> float | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        check.add(check.line_of(m, key), f"{where}.{key}", "phải là số ≥ 0", "must be a number ≥ 0")
        return None
    return float(value)


def _whole(check: Checker, m: Located, key: str, where: str) -> int | None:
    return check.whole(m, key, where) if key in m else None


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A fingerprint of the shipped benefit rules (bases and programmes): a payroll run keeps
    it, so that a later run knows whether past months may be owed differently."""
    digest = hashlib.sha256(_folder().joinpath("bases.yaml").read_bytes())
    for entry in sorted(_folder().joinpath("programmes").iterdir(), key=lambda e: e.name):
        digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()[:16]

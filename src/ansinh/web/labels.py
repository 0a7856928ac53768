"""Names shown for codes: statuses, relations, ethnic groups, benefits, indicators, roles."""

from __future__ import annotations

from functools import lru_cache

from ansinh.domain import codelists
from ansinh.domain.benefits import cards
from ansinh.domain.benefits.housing import housing_rules
from ansinh.domain.poverty import load_standard
from ansinh.io.decisions_file import end_reasons
from ansinh.store.accounts import ROLES

STATUS = {
    "poor": ("Hộ nghèo", "Poor"),
    "near_poor": ("Hộ cận nghèo", "Near-poor"),
    "average": ("Hộ có mức sống trung bình", "Average living standard"),
    "none": ("Không thuộc diện", "Not poor"),
}
SEX = {"M": ("Nam", "Male"), "F": ("Nữ", "Female")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def status(code: str | None, lang: str) -> str:
    if code is None:
        return "–"
    return _pick(STATUS.get(code, (code, code)), lang)


def sex(code: str | None, lang: str) -> str:
    return "–" if code is None else _pick(SEX.get(code, (code, code)), lang)


def relation(code: str, lang: str) -> str:
    found = codelists.relations().get(code)
    return code if found is None else _pick((found.name_vi, found.name_en), lang)


def ethnicity(code: str | None) -> str:
    return "–" if code is None else codelists.ethnic_groups().get(code, code)


def role(code: str, lang: str) -> str:
    found = ROLES.get(code)
    return code if found is None else _pick((found.name_vi, found.name_en), lang)


def benefit(programme: str, category: str, lang: str) -> str:
    found = codelists.benefit_programmes().get(programme)
    if found is None:
        return f"{programme}: {category}"
    name = _pick((found.name_vi, found.name_en), lang)
    return f"{name}: {_pick(found.categories.get(category, (category, category)), lang)}"


@lru_cache(maxsize=8)
def _indicators(standard_id: str) -> dict[str, tuple[str, str]]:
    try:
        standard = load_standard(standard_id)
    except Exception:  # a standard no longer shipped: show the keys
        return {}
    return {i.key: (i.name_vi, i.name_en) for i in standard.indicator_details}


def indicator(key: str, standard_id: str, lang: str) -> str:
    return _pick(_indicators(standard_id).get(key, (key, key)), lang)


def indicators(standard_id: str) -> list[str]:
    return list(_indicators(standard_id))


def end_reason(code: str | None, lang: str) -> str:
    names = end_reasons().get(code or "")
    return _pick(names, lang) if names else (code or "–")


def programme(code: str, lang: str) -> str:
    found = codelists.benefit_programmes().get(code)
    return _pick((found.name_vi, found.name_en), lang) if found else code


def card_group(code: str | None, lang: str) -> str:
    if code is None:
        return "–"
    found = {g.code: (g.name_vi, g.name_en) for g in cards.groups()}.get(code)
    return _pick(found, lang) if found else code


def housing(key: str, code: str, lang: str) -> str:
    """A housing kind, source or status by its code (data/benefits/housing.yaml)."""
    found = {i["code"]: (i["name_vi"], i["name_en"]) for i in housing_rules()[key]}.get(code)
    return _pick(found, lang) if found else code


def fund_line(code: str, lang: str) -> str:
    lines = housing_rules()["fund"]["lines"]
    found = {i["code"]: (i["name_vi"], i["name_en"]) for i in lines}.get(code)
    return _pick(found, lang) if found else code


def indicator_any(key: str, lang: str) -> str:
    """An indicator by its key in whichever shipped standard names it (the newest first)."""
    for standard_id in ("vn-2027-2030", "vn-2022-2025"):
        found = _indicators(standard_id).get(key)
        if found:
            return _pick(found, lang)
    return key

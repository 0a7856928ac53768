"""Names shown for codes: statuses, relations, ethnic groups, benefits, indicators, roles."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from ansinh.domain import codelists
from ansinh.domain.poverty import load_standard
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


@lru_cache(maxsize=1)
def _benefits() -> dict[str, tuple[tuple[str, str], dict[str, tuple[str, str]]]]:
    text = resources.files("ansinh.data.registry").joinpath("benefits.yaml").read_text("utf-8")
    return {
        p["code"]: (
            (p["name_vi"], p["name_en"]),
            {c["code"]: (c["name_vi"], c["name_en"]) for c in p["categories"]},
        )
        for p in yaml.safe_load(text)["programmes"]
    }


def benefit(programme: str, category: str, lang: str) -> str:
    names, categories = _benefits().get(programme, ((programme, programme), {}))
    return f"{_pick(names, lang)}: {_pick(categories.get(category, (category, category)), lang)}"


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

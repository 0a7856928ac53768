"""The registry's code lists (ethnic groups, relations, benefits, citizen-ID rules) from data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ansinh.domain.names import fold

# The template's column for each programme whose category the registry records on a person.
BENEFIT_COLUMNS = {
    "meritorious_category": "meritorious",
    "social_assistance_category": "social_assistance",
    "health_insurance_category": "health_insurance",
}


def _load(name: str) -> Any:
    text = resources.files("ansinh.data.registry").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Relation:
    code: str
    name_vi: str
    name_en: str
    aliases: tuple[str, ...]
    born: str | None  # "after_head", "before_head" or None
    max_per_household: int | None


@lru_cache(maxsize=1)
def ethnic_groups() -> dict[str, str]:
    """Official code -> name, for the 54 groups."""
    return {g["code"]: g["name"] for g in _load("ethnic_groups.yaml")["groups"]}


def ethnicity_key(text: str) -> str:
    """How ethnic-group spellings are compared: folded, apostrophes and hyphens as spaces."""
    return " ".join(re.sub(r"['-]", " ", fold(text)).split())


@lru_cache(maxsize=1)
def ethnicity_lookup() -> dict[str, str]:
    """Folded name, alias or code -> official code."""
    lookup: dict[str, str] = {}
    for group in _load("ethnic_groups.yaml")["groups"]:
        for spelling in [group["code"], group["name"], *group.get("aliases", [])]:
            lookup[ethnicity_key(spelling)] = group["code"]
    return lookup


@lru_cache(maxsize=1)
def relations() -> dict[str, Relation]:
    return {
        r["code"]: Relation(
            r["code"],
            r["name_vi"],
            r["name_en"],
            tuple(r.get("aliases", [])),
            r.get("born"),
            r.get("max"),
        )
        for r in _load("relations.yaml")["relations"]
    }


@lru_cache(maxsize=1)
def relation_lookup() -> dict[str, str]:
    """Folded code or alias -> relation code."""
    lookup: dict[str, str] = {}
    for relation in relations().values():
        for spelling in [relation.code, relation.name_vi, *relation.aliases]:
            lookup[fold(spelling)] = relation.code
    return lookup


@dataclass(frozen=True)
class BenefitProgramme:
    """A programme whose receipt the registry records, with its categories' names."""

    code: str
    name_vi: str
    name_en: str
    categories: dict[str, tuple[str, str]]  # code -> (name_vi, name_en)


@lru_cache(maxsize=1)
def benefit_programmes() -> dict[str, BenefitProgramme]:
    """The programmes of data/registry/benefits.yaml; a programme with rules of its own
    (data/benefits/programmes/) takes its categories from them, so that the registry's code
    lists and the entitlement rules cannot disagree."""
    from ansinh.domain.benefits.loader import shipped_programmes

    ruled = shipped_programmes()
    found = {}
    for p in _load("benefits.yaml")["programmes"]:
        if p["code"] in ruled:
            rules = ruled[p["code"]]
            categories = {c.code: (c.name_vi, c.name_en) for c in rules.categories}
        else:
            categories = {c["code"]: (c["name_vi"], c["name_en"]) for c in p["categories"]}
        found[p["code"]] = BenefitProgramme(p["code"], p["name_vi"], p["name_en"], categories)
    for code, rules in ruled.items():  # programmes with rules but no template column
        if code not in found:
            categories = {c.code: (c.name_vi, c.name_en) for c in rules.categories}
            found[code] = BenefitProgramme(code, rules.name_vi, rules.name_en, categories)
    return found


def benefit_categories() -> dict[str, frozenset[str]]:
    """Programme code -> its category codes."""
    return {code: frozenset(p.categories) for code, p in benefit_programmes().items()}


@lru_cache(maxsize=1)
def citizen_id_rules() -> dict[str, Any]:
    rules: dict[str, Any] = _load("citizen_id.yaml")
    return rules

"""The strict loader of benefit programmes: each kind of error in a small broken file."""

from __future__ import annotations

import pytest

from ansinh.domain.benefits.loader import (
    BenefitRuleError,
    load_bases,
    parse_programme,
    shipped_programmes,
    shipped_rules,
)

GOOD = """\
programme: p
name_vi: P
name_en: P
base: social_assistance_standard
pays: highest
periodicity: monthly
last_value_still_valid_on: "2026-12-01"
references: [{id: r, title: R}]
categories:
  - code: a
    name_vi: A
    name_en: A
    reference: r
    levels:
      "2025-01-01": {reference: r, coefficient: 1.0}
"""


def problems(text: str) -> list[tuple[int | None, str | None]]:
    with pytest.raises(BenefitRuleError) as error:
        parse_programme(text, "p.yaml")
    return [(p.row, p.column) for p in error.value.problems]


def test_the_good_file_loads() -> None:
    programme = parse_programme(GOOD, "p.yaml")
    assert programme.codes == ("a",) and programme.categories[0].levels[0].rows[0].coefficient


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        (GOOD.replace("pays: highest", "pays: sometimes"), (5, "pays")),
        (
            GOOD.replace(
                "    reference: r\n    levels", "    reference: r\n    colour: red\n    levels"
            ),
            (14, "categories[0].colour"),
        ),
        (GOOD.replace('"2025-01-01"', '"2025-13-01"'), (15, "categories[0](a).levels")),
        (
            GOOD.replace("{reference: r, coefficient", "{reference: nowhere, coefficient"),
            (15, "categories[0](a).levels.2025-01-01.reference"),
        ),
        (
            GOOD.replace("coefficient: 1.0}", "coefficient: 1.0, amount: 5}"),
            (15, "categories[0](a).levels.2025-01-01"),
        ),
        (GOOD.replace("name_en: P\n", "name_en: P\nname_en: Q\n"), (4, "name_en")),
        (GOOD.replace("base: social_assistance_standard\n", ""), (1, "base")),
    ],
    ids=[
        "unknown-choice",
        "unknown-key",
        "malformed-date",
        "unknown-reference",
        "amount-and-coefficient",
        "duplicate-key",
        "coefficient-without-base",
    ],
)
def test_each_kind_of_error_names_its_line(broken: str, where: tuple[int, str]) -> None:
    assert where in problems(broken)


def test_an_attached_category_must_be_in_the_file() -> None:
    broken = GOOD.replace("    levels:", "    attach: [{category: ghost}]\n    levels:")
    assert any(column == "a.attach" for _, column in problems(broken))


def test_every_shipped_programme_has_a_known_base_and_cites_each_level() -> None:
    rules = shipped_rules()
    assert {"social_assistance", "meritorious", "social_pension"} <= set(rules.programmes)
    for programme in rules.programmes.values():
        assert programme.base is None or programme.base in load_bases()
        for category in programme.categories:
            assert category.reference, (programme.code, category.code)
            assert all(level.reference for level in category.levels if level.rows)


def test_registry_categories_are_the_programmes_categories() -> None:
    """The import's code lists and the entitlement rules cannot disagree."""
    from ansinh.domain.codelists import benefit_categories

    listed = benefit_categories()
    for code, programme in shipped_programmes().items():
        if code in listed:
            assert set(listed[code]) == set(programme.codes), code

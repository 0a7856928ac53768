"""Who looks entitled from the registry alone, at the boundaries of Decree 20/2021 Art. 5."""

from __future__ import annotations

import itertools

import polars as pl

from ansinh.domain.benefits.eligibility import PEOPLE_SCHEMA, coverage
from ansinh.domain.benefits.loader import shipped_rules


def people(*rows: tuple[str, int, str | None, str | None, bool]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (pid, "04465", age, status, disability, area)
            for pid, age, status, disability, area in rows
        ],
        schema=PEOPLE_SCHEMA,
        orient="row",
    )


def held(*rows: tuple[str, str, str]) -> pl.DataFrame:
    schema = {"person_id": pl.String, "programme": pl.String, "category": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def unserved_of(frame: pl.DataFrame, holding: pl.DataFrame | None = None) -> set[tuple[str, str]]:
    _, unserved, _ = coverage(frame, held() if holding is None else holding, shipped_rules())
    return {(r["person_id"], r["category"]) for r in unserved.iter_rows(named=True)}


def test_the_over_80_allowance_from_80_exactly() -> None:
    """Decree 20/2021 Art. 5(5)(c): from 80; the social pension (Law 41/2024 Art. 21) from 75."""
    found = unserved_of(
        people(
            ("A", 80, None, None, False), ("B", 79, None, None, False), ("C", 74, None, None, False)
        )
    )
    assert ("A", "elderly_80") in found and ("B", "elderly_80") not in found
    assert ("B", "social_pension_75") in found and not any(p == "C" for p, _ in found)


def test_a_child_under_3_in_a_near_poor_household_of_a_disadvantaged_area() -> None:
    """Art. 5(7): under 3, poor or near-poor, an extremely disadvantaged commune or village."""
    found = unserved_of(
        people(
            ("A", 2, "near_poor", None, True),
            ("B", 3, "poor", None, True),
            ("C", 2, "poor", None, False),
            ("D", 2, "average", None, True),
        )
    )
    assert found == {("A", "child_under3_poor")}


def test_someone_receiving_social_assistance_is_covered_for_the_social_pension() -> None:
    """Law 41/2024 Art. 22(2): only the higher of the two is paid, so either covers."""
    found = unserved_of(
        people(("A", 85, None, None, False)), held(("A", "social_assistance", "elderly_80"))
    )
    assert found == set()


def test_paid_and_no_longer_qualifying_names_the_first_failing_condition() -> None:
    _, _, unqualified = coverage(
        people(
            ("A", 4, "poor", None, True),
            ("B", 77, "average", None, True),
            ("C", 40, None, None, False),
        ),
        held(
            ("A", "social_assistance", "child_under3_poor"),
            ("B", "social_assistance", "elderly_75_poor"),
            ("C", "social_assistance", "disabled"),
        ),
        shipped_rules(),
    )
    assert {(r["person_id"], r["reason"]) for r in unqualified.iter_rows(named=True)} == {
        ("A", "age"),
        ("B", "household_status"),
        ("C", "disability"),
    }


def test_looking_entitled_is_exactly_having_no_failing_condition() -> None:
    """The fast check of who meets a category agrees with the failing condition that names
    why a paid person no longer qualifies, for every person and category: at the edges of
    every age, with every status and disability the rules name, and with missing values."""
    rules = shipped_rules()
    checkable = [
        (c.code, c.eligibility)
        for p in rules.programmes.values()
        for c in p.categories
        if c.eligibility.checkable
    ]
    edges = {a for _, e in checkable for a in (e.age_from, e.age_below) if a is not None}
    ages = [None, 0, *sorted({a + d for a in edges for d in (-1, 0, 1)})]
    statuses = [None, "average", *sorted({s for _, e in checkable for s in e.household_status})]
    disabilities = [None, *sorted({e.disability for _, e in checkable if e.disability})]
    frame = people(
        *[
            (f"P{n}", age, status, disability, area)
            for n, (age, status, disability, area) in enumerate(
                itertools.product(ages, statuses, disabilities, (False, True))
            )
        ]
    )
    owners = {c.code: p.code for p in rules.programmes.values() for c in p.categories}
    everyone_paid = held(
        *[(person, owners[code], code) for person in frame["person_id"] for code, _ in checkable]
    )
    eligible, _, unqualified = coverage(frame, everyone_paid, rules)
    meets = {(r["person_id"], r["category"]) for r in eligible.iter_rows(named=True)}
    fails = {(r["person_id"], r["category"]) for r in unqualified.iter_rows(named=True)}
    assert meets and fails and not meets & fails
    assert meets | fails == {(p, code) for p in frame["person_id"] for code, _ in checkable}

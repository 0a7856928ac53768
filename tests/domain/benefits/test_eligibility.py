"""Who looks entitled from the registry alone, at the boundaries of Decree 20/2021 Art. 5."""

from __future__ import annotations

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

"""Health-insurance cards: the first group that applies (Law Art. 13(2)), under 6 to the month
of the 72nd, near-poor at least 70 % subsidised (Decree 146/2018 Art. 8(1)), the year's cost."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.domain.benefits.cards import PEOPLE_COLUMNS, card_holders, changes
from ansinh.domain.benefits.loader import shipped_rules

JAN_2025 = date(2025, 1, 1)
YEAR_2025 = round(0.045 * 2_340_000 * 12)  # Decree 73/2024 base salary, Decree 146/2018 Art. 7


def people(*rows: tuple[str, int, str | None, str, bool]) -> pl.DataFrame:
    return pl.DataFrame(
        [(p, "04465", m, s, e, a) for p, m, s, e, a in rows], schema=PEOPLE_COLUMNS, orient="row"
    )


def held(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"person_id": pl.String, "programme": pl.String}, orient="row")


def groups(frame: pl.DataFrame) -> dict[str, tuple[str, int]]:
    holders = card_holders(frame, held(("M", "meritorious")), shipped_rules(), JAN_2025)
    return {
        r["person_id"]: (r["group"], r["state_vnd_year"]) for r in holders.iter_rows(named=True)
    }


def test_each_person_in_the_first_group_that_applies() -> None:
    found = groups(
        people(
            ("M", 900, "poor", "01", False),  # meritorious before poor
            ("C", 71, "near_poor", "01", False),  # under 6 before near-poor
            ("K", 72, "average", "01", False),  # 72 months: no longer under 6
            ("N", 400, "near_poor", "01", False),
            ("E", 400, "average", "08", True),  # a Mông resident of a disadvantaged commune
            ("F", 400, "average", "08", False),
        )
    )
    assert found == {
        "M": ("meritorious", YEAR_2025),
        "C": ("child_under6", YEAR_2025),
        "N": ("near_poor", int(0.7 * YEAR_2025 + 0.5)),
        "E": ("ethnic_minority_area", YEAR_2025),
    }


def test_the_monthly_list_adds_removes_and_changes_groups() -> None:
    before = pl.DataFrame(
        {
            "person_id": ["A", "B", "C"],
            "commune_code": ["1"] * 3,
            "group": ["poor", "near_poor", "child_under6"],
        }
    )
    after = pl.DataFrame(
        {
            "person_id": ["A", "B", "D"],
            "commune_code": ["1"] * 3,
            "group": ["poor", "poor", "child_under6"],
        }
    )
    found = {r["person_id"]: r["change"] for r in changes(before, after).iter_rows(named=True)}
    assert found == {"B": "group", "C": "remove", "D": "add"}

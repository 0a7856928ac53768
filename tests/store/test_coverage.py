"""The people the benefit pages read: their ages as reached in a given month."""

from __future__ import annotations

from datetime import date

import polars as pl

from ansinh.store.coverage import aged


def test_the_same_people_are_aged_for_another_month_without_being_read_again() -> None:
    # A child turning six in December 2026 changes card group between November and December
    # (children under six hold a card paid by the state): the cards' monthly list reads the
    # people once and ages them for both months. A birth year alone counts from its January.
    people = pl.DataFrame(
        {"person_id": ["C1", "A1", "Y1"], "birth_date": ["2020-12-15", "1950", "2026-11-02"]}
    )
    december, november = aged(people, date(2026, 12, 1)), aged(people, date(2026, 11, 1))
    assert december.select("person_id", "age", "age_months").rows() == [
        ("C1", 6, 72),
        ("A1", 76, 923),
        ("Y1", 0, 1),
    ]
    assert november.select("age", "age_months").rows() == [(5, 71), (76, 922), (0, 0)]
    assert aged(december, date(2026, 11, 1)).equals(november)

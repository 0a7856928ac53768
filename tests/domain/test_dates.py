"""Dates typed day first (workbench issue, item 3: 'dd/mm/yyyy' was refused)."""

from __future__ import annotations

import pytest

from ansinh.domain.dates import typed_date


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("15/01/1980", "1980-01-15"),
        ("5/1/1980", "1980-01-05"),
        (" 15-01-1980 ", "1980-01-15"),
        ("15.01.1980", "1980-01-15"),
        ("01/1980", "1980-01"),
        ("1980-01-15", "1980-01-15"),  # ISO stays ISO
        ("1980", "1980"),
        ("", ""),
        ("31/02/1980", "1980-02-31"),  # left for the checks to refuse, by name
        ("15/01/80", "15/01/80"),  # a two-digit year is not guessed
    ],
)
def test_a_date_typed_day_first_is_read_as_iso(typed: str, stored: str) -> None:
    assert typed_date(typed) == stored

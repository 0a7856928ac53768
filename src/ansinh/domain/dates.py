"""Dates as Vietnamese officers type them: day first, with slashes, read into the registry's ISO."""

from __future__ import annotations

import re

# 15/01/1980, 5/1/1980, 15-01-1980, 15.01.1980; 01/1980 (a month); a year alone stays a year.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{4})$")


def typed_date(text: str) -> str:
    """A date typed day first as the registry writes it ('15/01/1980' -> '1980-01-15',
    '01/1980' -> '1980-01'); anything else as typed, for the checks to accept or name.
    Only the order is changed here: whether the day exists is the checks' to say."""
    typed = text.strip()
    day_first = _DAY_FIRST.match(typed)
    if day_first:
        day, month, year = day_first.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    month_first = _MONTH_FIRST.match(typed)
    if month_first:
        month, year = month_first.groups()
        return f"{year}-{int(month):02d}"
    return typed

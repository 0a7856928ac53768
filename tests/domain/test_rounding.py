"""One rounding rule for every figure shown: half up on the decimal written."""

from __future__ import annotations

from decimal import Decimal

from ansinh.domain.rounding import half_up
from ansinh.web.i18n import number, percent


def test_a_rate_of_1863_households_in_20000_is_9_32_percent_everywhere() -> None:
    """Workbench issue, item 7: the CLI said 9.32 %, the web 9,31 % (binary floats)."""
    assert half_up(1863 / 20000, 2, scale=100) == Decimal("9.32")
    assert percent(1863 / 20000, "vi", 2) == "9,32 %"
    assert percent(1863 / 20000, "en", 2) == "9.32 %"


def test_halves_go_up_not_to_even() -> None:
    assert number(2.5, "en") == "3" and number(0.125, "en", 2) == "0.13"
    assert number(1234567.5, "vi", 1) == "1.234.567,5"

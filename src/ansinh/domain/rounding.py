"""One rounding rule for every figure shown, half up on the decimal written (as the monitoring
contract says), so that the CLI, the web and a workbook show 1,863 of 20,000 alike: 9.32 %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def half_up(value: float | int | Decimal, digits: int, scale: int = 1) -> Decimal:
    """`value` x `scale` to `digits` places, half up, from its shortest decimal form: binary
    floats made 0.09315 x 100 into 9.314999... and 9.31 on the web."""
    exact = (value if isinstance(value, Decimal) else Decimal(repr(value))) * scale
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)

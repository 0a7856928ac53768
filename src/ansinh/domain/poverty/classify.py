"""The reference classifier: one household, one status, and the reasons in two languages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ansinh.domain.poverty.standard import AREA_NAMES_VI, AREAS, PovertyStandard, Rule


@dataclass(frozen=True)
class Classification:
    """A household's status under one standard, with the line and deprivations that decided it."""

    standard: str
    status: str
    deprivation_count: int
    deprived: tuple[str, ...]
    line: str | None
    line_value: int | None
    reason_vi: str
    reason_en: str


def classify_household(
    standard: PovertyStandard, area: str, income_per_capita: int, deprived: Iterable[str]
) -> Classification:
    """Apply the standard's rules in order; the first rule whose conditions all hold decides."""
    if area not in AREAS:
        raise ValueError(f"area must be one of {AREAS}, not {area!r}")
    if isinstance(income_per_capita, bool) or income_per_capita < 0:
        raise ValueError("income_per_capita must be a whole number ≥ 0")
    chosen = set(deprived)
    unknown = chosen - set(standard.indicators)
    if unknown:
        raise ValueError(f"not indicators of {standard.id}: {sorted(unknown)}")
    keys = tuple(key for key in standard.indicators if key in chosen)
    lines = standard.lines_for(area)
    rule = next(r for r in standard.rules if r.matches(income_per_capita, len(keys), lines))
    text = _Reasons(standard, area, income_per_capita, keys)
    line = rule.line if rule.line is not None else text.exceeded_line(rule)
    return Classification(
        standard=standard.id,
        status=rule.status,
        deprivation_count=len(keys),
        deprived=keys,
        line=line,
        line_value=lines[line] if line is not None else None,
        reason_vi=text.vi(rule),
        reason_en=text.en(rule),
    )


def format_vnd(amount: int, separator: str) -> str:
    """1500000 -> '1.500.000' (Vietnamese) or '1,500,000' (English)."""
    return f"{amount:,}".replace(",", separator)


class _Reasons:
    """Builds the sentence that names the thresholds met and the deprivations counted."""

    def __init__(
        self, standard: PovertyStandard, area: str, income: int, keys: tuple[str, ...]
    ) -> None:
        self.standard = standard
        self.area = area
        self.income = income
        self.keys = keys
        self.details = {ind.key: ind for ind in standard.indicator_details}

    def exceeded_line(self, rule: Rule) -> str | None:
        """The highest line of the rules before this one that the income is above."""
        earlier = self.standard.rules[: self.standard.rules.index(rule)]
        values = self.standard.lines_for(self.area)
        above = [r.income_at_most for r in earlier if r.income_at_most is not None]
        above = [name for name in above if self.income > values[name]]
        return max(above, key=lambda name: values[name], default=None)

    def vi(self, rule: Rule) -> str:
        area = AREA_NAMES_VI[self.area]
        bounds = ", ".join(
            f"{sign} {self.standard.income_lines[name].name_vi} {area} "
            f"{format_vnd(self.standard.income_lines[name].values[self.area], '.')} đ"
            for sign, name in self._comparisons(rule)
        )
        parts = [f"thu nhập {format_vnd(self.income, '.')} {bounds or 'đ'}"]
        count = f"thiếu hụt {len(self.keys)} chỉ số"
        parts.append(count + _threshold(rule))
        names = ", ".join(self.details[k].name_vi.lower() for k in self.keys)
        return _sentence(" và ".join(parts), names)

    def en(self, rule: Rule) -> str:
        bounds = ", ".join(
            f"{sign} {self.area} {self.standard.income_lines[name].name_en} "
            f"{format_vnd(self.standard.income_lines[name].values[self.area], ',')} VND"
            for sign, name in self._comparisons(rule)
        )
        parts = [f"income {format_vnd(self.income, ',')} {bounds or 'VND'}"]
        noun = "indicator" if len(self.keys) == 1 else "indicators"
        parts.append(f"deprived in {len(self.keys)} {noun}" + _threshold(rule))
        names = ", ".join(self.details[k].name_en.lower() for k in self.keys)
        return _sentence(" and ".join(parts), names)

    def _comparisons(self, rule: Rule) -> list[tuple[str, str]]:
        """(sign, line) pairs: the line the income is above, then the line it is at or below."""
        pairs = []
        above = rule.income_above or self.exceeded_line(rule)
        if above is not None:
            pairs.append((">", above))
        if rule.income_at_most is not None:
            pairs.append(("≤", rule.income_at_most))
        return pairs


def _threshold(rule: Rule) -> str:
    if rule.deprivations_at_least is not None:
        return f" (≥ {rule.deprivations_at_least})"
    if rule.deprivations_below is not None:
        return f" (< {rule.deprivations_below})"
    return ""


def _sentence(text: str, names: str) -> str:
    text = text + (f": {names}" if names else "")
    return text[:1].upper() + text[1:]

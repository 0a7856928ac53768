"""The province sends a commune's report back: whether it may, and which stages fall back
(stages.yaml `returns`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ansinh.domain.review_stages import CommuneYear, Refusal, ReturnRule, StageRules

REASON_MAX = 1000


@dataclass(frozen=True)
class SendBack:
    """What may be sent back: the rule, and the stages it undoes, in order."""

    rule: ReturnRule
    undone: tuple[str, ...]


def return_refusal(
    rules: StageRules,
    state: CommuneYear,
    on: date,
    today: date,
    reason: str,
    by_province: bool,
) -> Refusal | SendBack:
    """What a return on `on` undoes, or the first rule it breaks: the right first, then what
    the commune has done, the reason and the day."""
    refused = _right(rules, by_province)
    if refused is not None:
        return refused
    found = _rule(rules, state)
    if isinstance(found, Refusal):
        return found
    checks = (
        _reason(found, reason),
        _day(found, state, on, today),
    )
    refused = next((check for check in checks if check is not None), None)
    if refused is not None:
        return refused
    after = rules.codes[rules.codes.index(found.back_to) + 1 :]
    return SendBack(found, tuple(code for code in after if code in state.done))


def _rule(rules: StageRules, state: CommuneYear) -> ReturnRule | Refusal:
    sent = [rule for rule in rules.returns if rule.stage in state.done]
    if not sent:
        first = rules.returns[0] if rules.returns else None
        name = rules.stage(first.stage) if first else None
        return Refusal(
            "not_reported",
            f"Xã chưa có bước '{name.name_vi if name else '—'}': chưa có gì để trả lại",
            f"The commune has no '{name.name_en if name else '—'}' stage: nothing to send back",
            first.citation if first else "",
        )
    still = [rule for rule in sent if rule.until not in state.done]
    if not still:
        rule = sent[-1]
        until, on = rules.stage(rule.until), state.done[rule.until]
        return Refusal(
            "approved_already",
            f"{until.name_vi} ngày {on:%d/%m/%Y}: không trả lại được",
            f"{until.name_en} on {on:%d/%m/%Y}: it can no longer be sent back",
            rule.citation,
        )
    return still[-1]


def _right(rules: StageRules, by_province: bool) -> Refusal | None:
    if by_province or not rules.returns or not all(r.by_province for r in rules.returns):
        return None
    return Refusal(
        "no_right",
        "Chỉ cấp tỉnh (người có quyền xác nhận kết quả) được trả lại báo cáo của xã",
        "Only the province (a user who signs off results) may send a commune's report back",
        rules.returns[0].citation,
    )


def _reason(rule: ReturnRule, reason: str) -> Refusal | None:
    if len(reason.strip()) > REASON_MAX:
        return Refusal(
            "reason_too_long",
            f"Lý do trả lại dài quá {REASON_MAX} ký tự",
            f"The reason is longer than {REASON_MAX} characters",
            rule.citation,
        )
    if not rule.reason_required or reason.strip():
        return None
    return Refusal(
        "reason_missing",
        "Phải ghi lý do trả lại để xã biết cần sửa gì",
        "A reason is required, so that the commune knows what to correct",
        rule.citation,
    )


def _day(rule: ReturnRule, state: CommuneYear, on: date, today: date) -> Refusal | None:
    if on > today:
        return Refusal("future", "Ngày chưa đến", "The date is in the future", rule.citation)
    reported = state.done[rule.stage]
    if on >= reported:
        return None
    return Refusal(
        "before_report",
        f"Ngày trả lại trước ngày xã báo cáo ({reported:%d/%m/%Y})",
        f"The return is dated before the commune reported ({reported:%d/%m/%Y})",
        rule.citation,
    )

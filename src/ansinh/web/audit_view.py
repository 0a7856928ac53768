"""The audit log in the officers' words: actions, record types and fields named, changes as rows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from ansinh.store.history import AuditFilter
from ansinh.web import labels
from ansinh.web.i18n import VIETNAM, catalog, translator

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Fields that hold a code with a name to show in its place.
CODED = {
    "sex": lambda v, lang: labels.sex(v, lang),
    "relation": lambda v, lang: labels.relation(v, lang),
    "ethnicity_code": lambda v, lang: labels.ethnicity(v),
    "status": lambda v, lang: labels.status(v, lang),
    "programme": lambda v, lang: labels.programme(v, lang),
    "end_reason": lambda v, lang: labels.end_reason(v, lang),
    "role": lambda v, lang: labels.role(v, lang),
}


@dataclass(frozen=True)
class Change:
    """One field of a changed record: its name, the value before and after (shown as text)."""

    field: str
    before: str
    after: str
    changed: bool


@cache
def named(kind: str) -> list[str]:
    """The codes of the actions (`kind` "action") or record types ("entity") that the log's
    words name, in order: the log's filter offers these. Read from the catalogue, not the log: a
    DISTINCT read the whole log on every page (110 ms of the page's 180 ms on the demo's
    200,000 entries; minutes at national size). A test keeps every code written in it."""
    return sorted(key.split(".", 1)[1] for key in catalog("vi") if key.startswith(f"{kind}."))


def action_name(code: str, lang: str) -> str:
    t = translator(lang)
    text = t(f"action.{code}")
    return code if text == f"action.{code}" else text


def entity_name(code: str, lang: str) -> str:
    t = translator(lang)
    text = t(f"entity.{code}")
    return code if text == f"entity.{code}" else text


def field_name(code: str, lang: str) -> str:
    """A field by its label; a questionnaire's `deprived_x` by the indicator it records."""
    t = translator(lang)
    text = t(f"field.{code}")
    if text != f"field.{code}":
        return text
    if code.startswith("deprived_"):
        return labels.indicator_any(code.removeprefix("deprived_"), lang)
    return code


def shown(field: str, value: Any, lang: str, programme: str | None = None) -> str:
    """A stored value as an officer reads it: names for codes, dates day/month/year, yes/no.

    `programme`: the benefit programme of the record, which names its `category`.
    """
    if value is None or value == "":
        return "–"
    if field == "category" and programme:
        return labels.benefit(programme, str(value), lang)
    if isinstance(value, bool):
        return translator(lang)("value.yes" if value else "value.no")
    if field.startswith("deprived_") and value in (0, 1):
        return translator(lang)("value.yes" if value else "value.no")
    if field in CODED:
        return str(CODED[field](str(value), lang))
    if isinstance(value, str) and ISO_DATE.match(value[:10]) and len(value) in (10, 19, 26):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes(
    before: str | None, after: str | None, lang: str, entity: str = "", key: str = ""
) -> list[Change]:
    """Each field of the record before and after, changed fields first, in the stored order.

    A benefit's key (person/programme/category) names the programme its category is of.
    """
    old, new = _record(before), _record(after)
    programme = key.split("/")[1] if entity == "benefit" and key.count("/") >= 1 else None
    fields = list(dict.fromkeys([*new, *old]))
    rows = [
        Change(
            field_name(f, lang),
            shown(f, old.get(f), lang, programme) if before is not None else "",
            shown(f, new.get(f), lang, programme) if after is not None else "",
            before is None or after is None or old.get(f) != new.get(f),
        )
        for f in fields
    ]
    return sorted(rows, key=lambda c: not c.changed)


def changed_count(before: str | None, after: str | None) -> int:
    """How many fields `changes` marks changed, without naming or showing them."""
    old, new = _record(before), _record(after)
    fields = dict.fromkeys([*new, *old])
    if before is None or after is None:
        return len(fields)
    return sum(old.get(f) != new.get(f) for f in fields)


def _record(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        loaded = json.loads(text)
    except ValueError:
        return {"value": text}
    return loaded if isinstance(loaded, dict) else {"value": loaded}


def parse_day(text: str) -> date | None:
    """A day typed yyyy-mm-dd (a date field) or dd/mm/yyyy (the Vietnamese habit); else None."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def day_start(day: date) -> datetime:
    """Midnight of `day` in Vietnam, where officers read the log's times."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def day_end(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def audit_filter(
    actor: str = "",
    entity: str = "",
    key: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
) -> AuditFilter:
    """The log's filter as the page, its export and the background export read it alike."""
    first, last = parse_day(since), parse_day(until)
    return AuditFilter(
        actor.strip(),
        entity.strip(),
        key.strip(),
        action.strip(),
        since=day_start(first) if first else None,
        before=day_end(last) if last else None,
    )

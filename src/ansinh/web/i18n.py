"""Message catalogs (one JSON file per language) and Vietnamese/English number formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from ansinh.domain.rounding import half_up

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
LANG_COOKIE = "ansinh_lang"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    text = resources.files("ansinh.web").joinpath("messages", f"{lang}.json").read_text("utf-8")
    loaded: dict[str, str] = json.loads(text)
    return loaded


def choose(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT


def translator(lang: str) -> Callable[..., str]:
    """`t(key, **values)`: the text in `lang`, else Vietnamese, else the key itself."""
    own, fallback = catalog(lang), catalog(DEFAULT)

    def t(key: str, **values: Any) -> str:
        text = own.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t


def number(value: float | int | Decimal | None, lang: str, digits: int = 0) -> str:
    """1234567.5 as '1.234.567,5' in Vietnamese and '1,234,567.5' in English."""
    if value is None:
        return "–"
    text = f"{half_up(value, digits):,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def percent(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "–"
    return number(half_up(value, digits, scale=100), lang, digits) + " %"


# Times are shown in Vietnam's time (UTC+7, no summer time), with the offset written out.
VIETNAM = timezone(timedelta(hours=7))


def moment(value: datetime, seconds: bool = True, lang: str = "en") -> str:
    """A stored time as Vietnam's time with its zone, e.g. '2026-12-04 23:11:31 UTC+07:00';
    in Vietnamese the day first, as Vietnamese write it: '04/12/2026 23:11:31 UTC+07:00'.
    Files and the API keep ISO (the default)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    shown = aware.astimezone(VIETNAM)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    day_first = "%d/%m/%Y" if lang == "vi" else "%Y-%m-%d"
    return shown.strftime(f"{day_first} {clock}") + " UTC+07:00"


def day(value: str | date | None, lang: str) -> str:
    """A date as stored (ISO, or a year and month, or a year) as shown: in Vietnamese the day
    first, '15/01/1980', '03/2001', '1972'; in English as stored."""
    if value is None or value == "":
        return "–"
    text = value.isoformat() if isinstance(value, date) else str(value)
    if lang != "vi":
        return text
    return "/".join(reversed(text.split("-")))

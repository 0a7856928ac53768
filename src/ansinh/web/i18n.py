"""Message catalogs (one JSON file per language) and Vietnamese/English number formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
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


def moment(value: datetime, seconds: bool = True) -> str:
    """A stored time as Vietnam's time with its zone, e.g. '2026-12-04 23:11:31 UTC+07:00'."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    shown = aware.astimezone(VIETNAM)
    return shown.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + " UTC+07:00"

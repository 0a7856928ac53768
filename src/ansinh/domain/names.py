"""Vietnamese text as the registry keeps it (NFC) and as searches compare it (folded)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not strip them.
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def normalize_name(text: str) -> str:
    """NFC, single spaces, trimmed; case is kept as typed except for each word's first letter."""
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return " ".join(word[:1].upper() + word[1:].lower() for word in cleaned.split(" "))


def fold(text: str) -> str:
    """Lower case without diacritics, for search and blocking: 'Nguyễn Văn Hùng' -> 'nguyen van hung'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()

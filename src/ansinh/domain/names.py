"""Vietnamese text as the registry keeps it (NFC) and as searches compare it (folded)."""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

import polars as pl

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")
# Vietnamese names have two to five words; a longer one is paired on its first eight.
PAIRED_WORDS = 8
# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not strip them.
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def normalize_name(text: str) -> str:
    """NFC, single spaces, each word capitalised: '  NGUYỄN  văn hùng' -> 'Nguyễn Văn Hùng'."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().title()


def fold(text: str) -> str:
    """Lower case, no diacritics, for search, blocking: 'Nguyễn Văn Hùng' -> 'nguyen van hung'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_expr(column: pl.Expr) -> pl.Expr:
    """`fold` over a whole column."""
    return (
        column.str.replace_all("[đĐ]", "d")
        .str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.to_lowercase()
    )


def normalize_name_expr(column: pl.Expr) -> pl.Expr:
    """`normalize_name` over a whole column."""
    return (
        column.str.normalize("NFC")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.to_titlecase()
    )


def folded_words(folded: str) -> list[str]:
    """The words of a folded text, without punctuation: 'nguyen van-hung!' -> nguyen, van, hung."""
    return _WORD.findall(folded)


def word_pairs(folded: str | None) -> str:
    """Every two words of a folded name, in the name's order, as tokens of the name-pair index:
    'nguyen van hung' -> 'nguyen_van nguyen_hung van_hung'.

    Two common words ("nguyen", "van") each match a million people; a pair of words matches
    few, so a search for every word typed reads a short list (ansinh.store.search)."""
    found = folded_words(folded or "")[:PAIRED_WORDS]
    return " ".join(f"{first}_{second}" for first, second in combinations(found, 2))

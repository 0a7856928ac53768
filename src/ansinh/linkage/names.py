"""Vietnamese names in the forms linkage compares: tone-placement-free, folded, split in parts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from ansinh.domain.names import fold_expr

# The five tone marks as combining characters, each with the digit that replaces it (the
# order of the VNI input method). Vowel-shape marks (ă â ê ô ơ ư) and đ are kept.
TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class NameParts:
    """A name split as Vietnamese names are: surname first, given name last, middle between."""

    surname: str
    middle: str
    given: str


def tone_key(text: str) -> str:
    """Lower case, each syllable's tone mark moved to its end as a digit: Hoà/Hòa -> 'hoa2'."""
    decomposed = unicodedata.normalize("NFD", _SPACES.sub(" ", text).strip().lower())
    words = []
    for word in decomposed.split(" "):
        tones = "".join(TONES[ch] for ch in word if ch in TONES)
        bare = "".join(ch for ch in word if ch not in TONES)
        words.append(unicodedata.normalize("NFC", bare) + tones)
    return " ".join(words)


def tone_key_expr(column: pl.Expr) -> pl.Expr:
    """`tone_key` over a whole column (one regex pass per tone mark)."""
    decomposed = (
        column.str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.to_lowercase()
        .str.normalize("NFD")
    )
    for mark, digit in TONES.items():
        decomposed = decomposed.str.replace_all(f"(\\S*?){mark}(\\S*)", f"${{1}}${{2}}{digit}")
    return decomposed.str.normalize("NFC")


def split_name(text: str) -> NameParts:
    """'Nguyễn Văn Hùng' -> ('Nguyễn', 'Văn', 'Hùng'); a one-word name is a given name."""
    words = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().split(" ")
    if len(words) == 1:
        return NameParts("", "", words[0])
    return NameParts(words[0], " ".join(words[1:-1]), words[-1])


def name_columns(full_name: pl.Expr) -> list[pl.Expr]:
    """The name columns the comparisons read, from the full name as typed.

    `*_exact` keep vowel shapes and tones (tone placement ignored), `*_folded` drop all marks;
    `middle_initials` turns 'Văn', 'V.' and 'V' alike into 'v'.
    """
    words = (
        full_name.str.normalize("NFC")
        .str.replace_all(r"[.,]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.split(" ")
    )
    count = words.list.len()
    surname = pl.when(count > 1).then(words.list.first())
    given = words.list.last()
    middle = pl.when(count > 2).then(words.list.slice(1, count - 2).list.join(" "))
    folded_middle = fold_expr(middle)
    return [
        _blank_null(tone_key_expr(surname)).alias("surname_exact"),
        _blank_null(fold_expr(surname)).alias("surname_folded"),
        _blank_null(tone_key_expr(middle)).alias("middle_exact"),
        _blank_null(folded_middle).alias("middle_folded"),
        _blank_null(
            folded_middle.str.split(" ").list.eval(pl.element().str.slice(0, 1)).list.join("")
        ).alias("middle_initials"),
        _blank_null(tone_key_expr(given)).alias("given_exact"),
        _blank_null(fold_expr(given)).alias("given_folded"),
    ]


def _blank_null(column: pl.Expr) -> pl.Expr:
    return pl.when(column.str.len_chars() > 0).then(column)

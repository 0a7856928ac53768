"""Vietnamese name forms for linkage: tone placement, đ, case, dropped and shortened middles."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from ansinh.linkage.names import name_columns, split_name, tone_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Hoà", "Hòa"),  # old and new tone placement
        ("Thuỷ", "Thủy"),
        ("Khoẻ", "Khỏe"),
        ("NGUYỄN VĂN HÒA", "nguyễn văn hoà"),  # case
        (unicodedata.normalize("NFD", "Lò Thị Hoà"), "Lò Thị Hòa"),  # NFD input
        ("  Trần   Thị  Thuỷ ", "Trần Thị Thủy"),  # spacing
    ],
)
def test_tone_placement_case_and_form_give_one_key(one: str, other: str) -> None:
    assert tone_key(one) == tone_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Hoà", "Hoá"),  # different tones are different names
        ("Đức", "Dức"),  # đ is its own letter while diacritics count
        ("Thư", "Thu"),  # vowel shape counts
    ],
)
def test_exact_key_keeps_what_distinguishes_names(one: str, other: str) -> None:
    assert tone_key(one) != tone_key(other)


def _columns(names: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"name": names}).select(name_columns(pl.col("name")))


def test_folded_columns_ignore_diacritics_and_d_stroke() -> None:
    frame = _columns(["Đỗ Thị Thuỷ", "do thi thuy", "ĐỖ THỊ THỦY"])
    assert frame["surname_folded"].to_list() == ["do", "do", "do"]
    assert frame["given_folded"].to_list() == ["thuy", "thuy", "thuy"]
    # The exact form tells typed diacritics from none: stronger evidence when they agree.
    assert frame["given_exact"].to_list() == ["thuy3", "thuy", "thuy3"]


def test_surname_middle_and_given_are_split() -> None:
    frame = _columns(["Nguyễn Văn Hùng", "Nguyễn Hùng", "Nguyễn V. Hùng", "Tôn Nữ Thị Mai"])
    assert frame["surname_folded"].to_list() == ["nguyen", "nguyen", "nguyen", "ton"]
    assert frame["given_folded"].to_list() == ["hung", "hung", "hung", "mai"]
    # A dropped middle name is missing, not different; a shortened one keeps its initials.
    assert frame["middle_folded"].to_list() == ["van", None, "v", "nu thi"]
    assert frame["middle_initials"].to_list() == ["v", None, "v", "nt"]


def test_split_name_of_one_word_is_a_given_name() -> None:
    assert split_name("Páo") == split_name(" Páo ")
    assert split_name("Páo").given == "Páo"
    assert split_name("Giàng A Páo").surname == "Giàng"

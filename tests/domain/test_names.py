"""Names kept in NFC and compared folded: diacritics, đ, case and spacing never hide a person."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.domain.names import fold, fold_expr, normalize_name, normalize_name_expr, word_pairs


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  NGUYỄN  văn hùng ", "Nguyễn Văn Hùng"),
        (unicodedata.normalize("NFD", "Lò Thị Hoà"), "Lò Thị Hoà"),
        ("giàng a páo", "Giàng A Páo"),
        ("đỗ thị thuỷ", "Đỗ Thị Thuỷ"),
    ],
)
def test_names_are_kept_in_nfc_with_single_spaces(typed: str, kept: str) -> None:
    assert normalize_name(typed) == kept
    assert unicodedata.is_normalized("NFC", normalize_name(typed))


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Nguyễn Văn Hùng", "nguyen van hung"),
        ("NGUYEN VAN HUNG", "nguyen van hung"),
        ("Đặng Thị Đào", "dang thi dao"),
        ("Hoà", "hoa"),  # old tone placement
        ("Hòa", "hoa"),  # new tone placement
        ("Thuỷ", "thuy"),
        ("Thủy", "thuy"),
        (unicodedata.normalize("NFD", "Sùng Thị Mỷ"), "sung thi my"),
    ],
)
def test_folding_ignores_diacritics_tone_placement_and_case(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_column_functions_agree_with_the_scalar_ones() -> None:
    names = ["  NGUYỄN  văn hùng ", "Đặng Thị Đào", unicodedata.normalize("NFD", "Lò Thị Hoà")]
    frame = pl.DataFrame({"name": names}).select(
        fold_expr(pl.col("name")).alias("folded"),
        normalize_name_expr(pl.col("name")).alias("kept"),
    )
    assert frame["folded"].to_list() == [fold(n) for n in names]
    assert frame["kept"].to_list() == [normalize_name(n) for n in names]


VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐÂ"
)


@given(st.text(alphabet=VIETNAMESE_LETTERS))
def test_folding_is_idempotent_and_plain_ascii(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()


def test_word_pairs_are_every_two_words_in_the_names_order() -> None:
    assert word_pairs("nguyen van hung") == "nguyen_van nguyen_hung van_hung"
    assert word_pairs("pao") == ""
    assert word_pairs(None) == ""
    assert len(word_pairs(" ".join(f"w{i}" for i in range(12))).split()) == 28  # 8 words paired

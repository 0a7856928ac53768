"""Evidence an inspector can read: each level in Vietnamese and English, with its weight."""

from __future__ import annotations

import json

import polars as pl
from tests.linkage.test_namesakes import VILLAGE, _people

from ansinh.linkage.evidence import Evidence, evidence_frame, evidence_json
from ansinh.linkage.linker import make_linker

ROWS = [
    ("1", "Lò Thị Bình", "2014-05-18", "F", "015214697169", "04465", VILLAGE),
    ("2", "Lò Thị Bình", "2014-11-08", "F", "015214736764", "04465", VILLAGE),
    ("3", "LO THI BINH", "2014-05-18", "Nữ", "015214697196", "4465", "thôn 3"),
]


def _evidence() -> dict[tuple[str, str, str], dict[str, object]]:
    linker = make_linker()
    pairs = linker.run(_people(ROWS), threshold=0.0).pairs
    frame = evidence_frame(pairs, linker.config)
    return {
        (row["person_id_l"], row["person_id_r"], row["field"]): row
        for row in frame.iter_rows(named=True)
    }


def test_two_peoples_ids_and_dates_in_words_with_their_weights() -> None:
    evidence = _evidence()
    ids = evidence[("1", "2", "citizen_id")]
    assert "khác 5/12 chữ số" in str(ids["text_vi"])
    assert "differing in 5 of 12 digits" in str(ids["text_en"])
    assert float(ids["weight"]) < -5  # type: ignore[arg-type]
    birth = evidence[("1", "2", "birth")]
    assert birth["text_vi"] == "Cùng năm sinh, khác cả ngày và tháng"
    assert birth["text_en"] == "same birth year, different day and month"
    assert float(birth["weight"]) < -5  # type: ignore[arg-type]


def test_a_typo_in_words_says_how_many_digits() -> None:
    ids = _evidence()[("1", "3", "citizen_id")]
    assert str(ids["text_en"]).startswith("IDs differ in 2 of 12 digits")
    assert str(ids["text_vi"]).startswith("Số định danh khác 2/12 chữ số")
    assert float(ids["weight"]) > 5  # type: ignore[arg-type]


def test_the_queue_json_carries_the_words_and_old_evidence_still_reads() -> None:
    linker = make_linker()
    pairs = linker.run(_people(ROWS), threshold=0.0).pairs
    stored = json.loads(evidence_json(pairs, linker.config)["evidence"][0])
    assert {"text_vi", "text_en", "weight", "level"} <= set(stored[0])
    old = Evidence("birth", "same year", "2014-05-18", "2014-11-08", -7.4, False)
    assert old.text("vi") == "same year"  # evidence stored before the words: its label
    assert pl.DataFrame(stored).height == len(linker.config.comparison_names())

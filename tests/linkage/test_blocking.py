"""Capped blocking keys: rare shared keys make candidate pairs, common ones are purged."""

from __future__ import annotations

import polars as pl

from ansinh.linkage.blocking import add_capped_keys, key_column
from ansinh.linkage.prepare import prepare_people

RULE = {"columns": ["commune_code", "given_folded"], "max_block": 2}


def _prepared(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=["person_id", "full_name", "commune_code"], orient="row")
    return prepare_people(frame)


def test_the_address_start_and_the_id_head_are_keys() -> None:
    frame = pl.DataFrame(
        {
            "person_id": ["1", "2"],
            "full_name": ["Lò Văn Páo", "Lo Van Pao"],
            "address": ["Thôn 3, Mường Khương", "thon 3 muong khuong"],
            "citizen_id": ["011090012345", "011090012354"],
        }
    )
    prepared = prepare_people(frame)
    assert prepared["address_start"].to_list() == ["thon 3", "thon 3"]
    assert prepared["citizen_id_head"].to_list() == ["011090012", "011090012"]


def test_a_key_shared_by_more_records_than_the_cap_is_purged() -> None:
    prepared = _prepared(
        [
            ("1", "Nguyễn Văn Hùng", "04465"),
            ("2", "Trần Hùng", "04465"),
            ("3", "Nguyen Van Hung", "04465"),
            ("4", "Giàng A Páo", "04465"),
            ("5", "Vàng Páo", "04465"),
            ("6", "Giàng Páo", "04466"),
        ]
    )
    keys = add_capped_keys(prepared, [RULE])[key_column(RULE)].to_list()
    # Three people named Hùng in 04465 exceed the cap of 2: no pair from this rule.
    assert keys[:3] == [None, None, None]
    assert keys[3] == keys[4] is not None
    assert keys[5] is not None and keys[5] != keys[3]


def test_a_record_without_the_key_columns_gets_no_key() -> None:
    prepared = _prepared([("1", "Hùng", ""), ("2", "Hùng", "")])
    assert add_capped_keys(prepared, [RULE])[key_column(RULE)].to_list() == [None, None]


def test_rules_without_a_cap_add_no_column() -> None:
    prepared = _prepared([("1", "Hùng", "04465")])
    assert add_capped_keys(prepared, [{"columns": ["commune_code"]}]).columns == prepared.columns

"""The unit tree: any depth, ancestors nearest first, validity by day."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.domain.units import AdminUnit, ancestors, closure, village_code

TREE = [
    AdminUnit("VN", "Việt Nam", "country", "quốc gia", None, date(1945, 9, 2)),
    AdminUnit("15", "Lào Cai", "province", "tỉnh", "VN", date(2025, 7, 1)),
    AdminUnit("04465", "Xã Khao Mang", "commune", "xã", "15", date(2025, 7, 1)),
    AdminUnit("04465-01", "Thôn 1", "village", "thôn", "04465", date(2025, 7, 1)),
    AdminUnit(
        "135",
        "Huyện Mù Cang Chải",
        "district",
        "huyện",
        "15",
        date(2008, 1, 1),
        date(2025, 6, 30),
        legacy=True,
    ),
]


def test_ancestors_run_from_the_unit_to_the_root() -> None:
    parent_of = {u.code: u.parent_code for u in TREE}
    assert ancestors("04465-01", parent_of) == ["04465-01", "04465", "15", "VN"]


def test_closure_pairs_every_unit_with_itself_and_each_ancestor() -> None:
    pairs = set(closure(TREE))
    assert ("04465-01", "VN") in pairs and ("04465-01", "04465-01") in pairs
    assert len(pairs) == 4 + 3 + 2 + 1 + 3


def test_a_cycle_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        ancestors("a", {"a": "b", "b": "a"})


def test_legacy_districts_are_valid_only_before_the_reorganisation() -> None:
    district = TREE[-1]
    assert district.valid_on(date(2025, 6, 30))
    assert not district.valid_on(date(2025, 7, 1))


def test_villages_are_named_after_their_commune() -> None:
    assert village_code("04465", 3) == "04465-03"

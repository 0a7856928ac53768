"""Search by name: diacritics, case and order ignored, the last word a prefix, always bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, write_csv

from ansinh.io.importer import import_file
from ansinh.store import search
from ansinh.store.scope import Scope, scope_for
from ansinh.store.search import search_people

EVERYTHING = Scope(None, None)


@pytest.fixture
def registry(engine: Engine, tmp_path: Path) -> Engine:
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="t")
    return engine


def names(engine: Engine, typed: str, scope: Scope = EVERYTHING, **options: bool) -> list[str]:
    with engine.connect() as connection:
        return [p.full_name for p in search_people(connection, scope, typed, **options).items]


@pytest.mark.parametrize(
    "typed",
    [
        "nguyen van hung",
        "NGUYỄN VĂN HÙNG",
        "hung nguyen",
        "Nguyễn Văn H",
        "van-hung!",
        "P5",
        "H2",
        # Words left out, words in another order, the last one still being typed.
        "nguyen hung",
        "hung van nguyen",
        "van hu",
        "nguyen hu",
    ],
)
def test_a_person_is_found_however_the_name_is_typed(registry: Engine, typed: str) -> None:
    assert "Nguyễn Văn Hùng" in names(registry, typed)


def test_results_are_sorted_and_kept_to_the_scope(registry: Engine) -> None:
    assert names(registry, "giang a") == ["Giàng A Chứ", "Giàng A Dế", "Giàng A Páo"]
    with registry.connect() as connection:
        officer = scope_for(connection, (MU_CANG_CHAI,))
    assert names(registry, "giang a", officer) == []
    assert names(registry, "thuy", officer) == ["Trần Thị Thủy"]


def test_citizen_ids_are_searched_only_when_allowed(registry: Engine) -> None:
    assert names(registry, "015070000123") == []
    assert names(registry, "015070000123", by_citizen_id=True) == ["Giàng A Páo"]


def test_a_narrow_scope_reads_the_index_only_so_far_and_says_so(
    registry: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commune with no household: every 'giang' is outside. Past SCAN_LIMIT matches the
    search stops and says there may be more, instead of reading the whole index."""
    empty = Scope(frozenset({"04459"}), frozenset({"04459"}))
    with registry.connect() as connection:
        whole = search_people(connection, empty, "giang")
        monkeypatch.setattr(search, "SCAN_LIMIT", 2)
        cut = search_people(connection, empty, "giang")
    assert (whole.total, whole.more) == (0, False)
    assert (cut.items, cut.more) == ([], True)
    assert KHAO_MANG not in empty.communes  # type: ignore[operator]

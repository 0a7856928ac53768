"""Search by name: diacritics, case and order ignored, the last word a prefix, always bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI, family, person, write_csv

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


def _namesakes(engine: Engine, folder: Path, count: int = 120) -> None:
    """`count` households headed alternately by a Nguyễn Vân and a Nguyễn Văn (who fold alike),
    the Vân first in the folded order, born a year apart from 1940 on."""
    rows = []
    for i in range(count):
        middle = "Vân" if i % 2 == 0 else "Văn"
        born = f"{1940 + i % 80}-01-01"
        rows.append(
            person(f"N{i:03d}", f"HN{i:03d}", f"Nguyễn {middle} A{i:03d}", "head", birth_date=born)
        )
    import_file(engine, write_csv(folder / "namesakes.csv", rows), actor="t")


def test_a_name_typed_with_diacritics_ranks_those_written_so_first(
    engine: Engine, tmp_path: Path
) -> None:
    """Workbench issue, item 11: 'Nguyễn Văn' ranked 'Nguyễn Vân ...' first."""
    _namesakes(engine, tmp_path)
    with engine.connect() as connection:
        found = search_people(connection, EVERYTHING, "Nguyễn Văn", limit=60)
        folded = search_people(connection, EVERYTHING, "nguyen van", limit=10)
    written = [p.full_name for p in found.items]
    assert all(n.startswith("Nguyễn Văn ") for n in written[:60])
    assert len(written) == 60 and found.more
    # Typed without diacritics, both are as good: by folded name (A000 a Vân, A001 a Văn).
    assert [p.full_name for p in folded.items][:2] == ["Nguyễn Vân A000", "Nguyễn Văn A001"]


def test_a_search_that_gathers_every_match_ranks_them_without_reading_them_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fewer matches than COUNT_LIMIT are all gathered: those written as typed are among them,
    ranked first all the same, and the index is not read again to find them."""
    _namesakes(engine, tmp_path, 40)

    def read_again(*_: object) -> dict[int, object]:
        raise AssertionError("the names as written were read again")

    monkeypatch.setattr(search, "_as_written", read_again)
    with engine.connect() as connection:
        found = search_people(connection, EVERYTHING, "Nguyễn Văn", limit=60)
    written = [p.full_name for p in found.items]
    assert len(written) == 40 and not found.more
    assert written[:20] == [f"Nguyễn Văn A{i:03d}" for i in range(1, 40, 2)]


def test_a_narrow_scope_ranks_those_written_as_typed_first_among_its_own(
    engine: Engine, tmp_path: Path
) -> None:
    """A commune's officer in a registry mostly of other communes: the scan of the words is
    bounded (SCAN_LIMIT), and the names as written are read with it (one statement on
    PostgreSQL); all found are the commune's, those written as typed first."""
    _namesakes(engine, tmp_path)  # 120 in Khao Mang
    elsewhere = {"commune_code": MU_CANG_CHAI, "village_code": f"{MU_CANG_CHAI}-01"}
    others = [
        person(f"M{i:03d}", f"HM{i:03d}", f"Nguyễn Văn B{i:03d}", "head", **elsewhere)
        for i in range(200)
    ]
    import_file(engine, write_csv(tmp_path / "others.csv", others), actor="t")
    with engine.connect() as connection:
        officer = scope_for(connection, (KHAO_MANG,))
        assert search._narrow(connection, officer)
        found = search_people(connection, officer, "Nguyễn Văn", limit=100)
    written = [p.full_name for p in found.items]
    assert found.more and len(written) == 100
    assert all(name.startswith("Nguyễn Văn A") for name in written[:60])
    assert all(" A" in name for name in written)  # none of Mù Cang Chải's B...


def test_the_pages_of_a_search_are_cut_from_one_ranking(engine: Engine, tmp_path: Path) -> None:
    _namesakes(engine, tmp_path, 90)
    with engine.connect() as connection:
        first = search_people(connection, EVERYTHING, "nguyen", limit=50, offset=0)
        second = search_people(connection, EVERYTHING, "nguyen", limit=50, offset=50)
    ids = [p.person_id for p in first.items + second.items]
    assert first.total == second.total == 90 and not first.more
    assert len(ids) == len(set(ids)) == 90


def test_filters_narrow_by_age_band_and_status(registry: Engine) -> None:
    from ansinh.store.search import SearchFilter

    with registry.connect() as connection:
        elderly = search_people(
            connection, EVERYTHING, "giang", filtered=SearchFilter(age="elderly", year=2025)
        )
        working = search_people(
            connection, EVERYTHING, "giang", filtered=SearchFilter(age="working", year=2025)
        )
        poor = search_people(
            connection, EVERYTHING, "giang", filtered=SearchFilter(status="poor", run_id=999)
        )
    assert [p.full_name for p in elderly.items] == ["Giàng A Dế"]  # born 1940
    assert [p.full_name for p in working.items] == ["Giàng A Chứ", "Giàng A Páo"]
    assert poor.items == []  # no such run: nobody is poor in it

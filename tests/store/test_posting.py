"""The lists to post, read for many communes in one query: the same as one commune's, a
commune with nothing on its lists gets an empty list, and two years give the four lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI, person, survey, write_csv
from tests.store.test_review_stages import POOR, reviewed  # noqa: F401

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store import posting
from ansinh.store.posting import posted_list, posted_lists
from ansinh.store.review import run_review
from ansinh.store.review_stages import drafts


def test_many_communes_at_once(reviewed: Engine) -> None:  # noqa: F811
    with reviewed.connect() as connection:
        one = posted_list(connection, KHAO_MANG, 2025)
        many = posted_lists(connection, [KHAO_MANG, MU_CANG_CHAI], 2025)
        assert drafts(connection, [KHAO_MANG, MU_CANG_CHAI], 2025) == {KHAO_MANG, MU_CANG_CHAI}
    assert one.height >= 1 and many[KHAO_MANG].equals(one)
    assert many[MU_CANG_CHAI].is_empty() and many[MU_CANG_CHAI].columns == one.columns


def test_a_province_is_read_through_its_results_the_same(
    reviewed: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More than FEW_COMMUNES communes are read from the runs' results grouped by household;
    fewer through their households: the same lists either way."""
    communes = [KHAO_MANG, MU_CANG_CHAI]
    with reviewed.connect() as connection:
        few = posted_lists(connection, communes, 2025)
        monkeypatch.setattr(posting, "FEW_COMMUNES", 1)
        many = posted_lists(connection, communes, 2025)
    assert few[KHAO_MANG].height >= 1
    assert all(many[code].equals(few[code]) for code in communes)


# Two years of six households, each a case of Decision 24/2021's four lists (head, 2024, 2025).
YEARS = {
    "H1": ("Hầu A Dơ", "poor", "near_poor"),  # near-poor now, and exited poverty
    "H2": ("Lò Văn Ân", "near_poor", "none"),  # exited near-poverty
    "H3": ("Vàng Thị Dế", "poor", None),  # not reviewed this year: on no list
    "H4": ("Sùng A Chứ", "none", "poor"),  # fell into poverty
    "H5": ("Mùa A Lử", "near_poor", "poor"),  # poor now: no exit from near-poverty
    "H6": ("Giàng Seo Pả", "none", "none"),  # on no list either year
}
INCOME_AND_DEPRIVED = {
    "poor": (1_500_000, POOR),
    "near_poor": (1_500_000, set()),
    "none": (5_000_000, set()),
}


@pytest.fixture
def two_years(engine: Engine, tmp_path: Path) -> Engine:
    heads = [person(f"P{hid}", hid, name, "head") for hid, (name, *_) in YEARS.items()]
    import_file(engine, write_csv(tmp_path / "h.csv", heads), actor="tester")
    for index, year in enumerate((2024, 2025), start=1):
        surveys = [
            survey(hid, *INCOME_AND_DEPRIVED[status[index]], year=year)
            for hid, status in YEARS.items()
            if status[index] is not None
        ]
        import_file(engine, write_csv(tmp_path / f"s{year}.csv", surveys), actor="tester")
        run_review(engine, year, load_standard("vn-2022-2025"), "tester")
    return engine


@pytest.mark.parametrize("few", [True, False], ids=["by households", "by results"])
def test_the_four_lists_from_two_years(
    two_years: Engine, monkeypatch: pytest.MonkeyPatch, few: bool
) -> None:
    monkeypatch.setattr(posting, "FEW_COMMUNES", 8 if few else 0)
    with two_years.connect() as connection:
        lists = posted_lists(connection, [KHAO_MANG], 2025)[KHAO_MANG]
    assert lists.select("head_name", "status").rows() == [
        ("Mùa A Lử", "poor"),
        ("Sùng A Chứ", "poor"),
        ("Hầu A Dơ", "near_poor"),
        ("Hầu A Dơ", "exited_poverty"),
        ("Lò Văn Ân", "exited_near_poverty"),
    ]

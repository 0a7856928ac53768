"""Namesakes of one commune are two people; a typo in one person's records is not (issue 18)."""

from __future__ import annotations

import polars as pl
import pytest

from ansinh.linkage.linker import make_linker
from ansinh.linkage.namesakes import add_namesake_counts
from ansinh.linkage.prepare import prepare_people

COLUMNS = ["person_id", "full_name", "birth_date", "sex", "citizen_id", "commune_code", "address"]
VILLAGE = "Thôn 3, xã Bản Lầu"


def _people(rows: list[tuple[str, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


def _probability(rows: list[tuple[str, ...]]) -> float:
    """The match probability of the first two records (0 when not a candidate pair)."""
    pairs = make_linker().run(_people(rows), threshold=0.0).pairs
    found = pairs.filter(
        pl.col("person_id_l").is_in(["1", "2"]) & pl.col("person_id_r").is_in(["1", "2"])
    )
    return float(found["match_probability"][0]) if found.height else 0.0


# The false merges issue 18 reports (values changed as the issue did).
NAMESAKES = [
    # Different middle names, dates differing in day and month, IDs sharing six digits.
    [
        ("1", "Nguyễn Xuân Long", "1961-01-03", "M", "011061900135", "04465", VILLAGE),
        ("2", "Nguyễn Seo Long", "1961-05-01", "M", "011061312786", "04465", VILLAGE),
    ],
    [
        ("1", "Hoàng Xuân Quý", "2013-08-24", "M", "015213004417", "04465", VILLAGE),
        ("2", "Hoàng Đức Quý", "2013-03-09", "M", "015213882650", "04465", VILLAGE),
    ],
    # The same full name; only the ID numbers (7 of 12 digits apart) and the dates differ.
    [
        ("1", "Lò Thị Bình", "2014-05-18", "F", "015214697169", "04465", VILLAGE),
        ("2", "Lò Thị Bình", "2014-11-08", "F", "015214736764", "04465", VILLAGE),
    ],
]


@pytest.mark.parametrize("rows", NAMESAKES)
def test_namesakes_with_their_own_ids_and_dates_are_two_people(rows: list[tuple[str, ...]]) -> None:
    assert _probability(rows) < 0.5


def test_two_valid_ids_sharing_six_digits_weigh_against_the_same_name_and_date() -> None:
    # Same full name, same village, birth year only on both; only the IDs tell them apart.
    rows = [
        ("1", "Lò Thị Bình", "2014", "F", "015214697169", "04465", VILLAGE),
        ("2", "Lò Thị Bình", "2014", "F", "015214736764", "04465", VILLAGE),
    ]
    assert _probability(rows) < 0.5


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("015214697169", "015214697163"),  # one digit mistyped
        ("015214697169", "015214697196"),  # two digits swapped
        ("015214697169", "015214691769"),  # two digits swapped in the middle
    ],
)
def test_a_mistyped_id_is_still_the_same_person(left: str, right: str) -> None:
    rows = [
        ("1", "Lò Thị Bình", "2014-05-18", "F", left, "04465", VILLAGE),
        ("2", "LO THI BINH", "2014-05-18", "Nữ", right, "4465", "thôn 3"),
    ]
    assert _probability(rows) >= 0.9


def test_a_day_and_month_swap_is_the_same_person() -> None:
    rows = [
        ("1", "Lò Thị Bình", "2014-05-08", "F", "", "04465", VILLAGE),
        ("2", "Lò Thị Bình", "2014-08-05", "F", "015214697169", "04465", VILLAGE),
    ]
    assert _probability(rows) >= 0.9


def test_a_record_that_could_be_either_of_two_namesakes_is_given_to_neither() -> None:
    # Two Nguyễn Văn Hùng born in 1972 in one commune, known apart by their full dates; a
    # third record with the year only and no ID could be either of them.
    rows = [
        ("1", "Nguyễn Văn Hùng", "1972-03-14", "M", "", "04465", VILLAGE),
        ("2", "Nguyễn Văn Hùng", "1972", "M", "", "04465", VILLAGE),
        ("3", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04465", VILLAGE),
    ]
    clusters = make_linker().run(_people(rows), threshold=0.9).clusters
    assert clusters["cluster_id"].n_unique() == 3


def test_namesakes_are_counted_by_their_full_dates_a_swap_counted_once() -> None:
    rows = [
        ("1", "Nguyễn Văn Hùng", "1972-03-04", "M", "", "04465", ""),
        ("2", "Nguyen Van Hung", "1972-04-03", "M", "", "04465", ""),  # the same date, swapped
        ("3", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04465", ""),
        ("4", "Nguyễn Văn Hùng", "1972", "M", "", "04465", ""),
        ("5", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04466", ""),  # another commune
        ("6", "Nguyễn Văn Hùng", "", "M", "", "04465", ""),  # no year: no key
    ]
    counted = add_namesake_counts(prepare_people(_people(rows)))
    assert counted["namesakes_here"].to_list() == [2, 2, 2, 2, 1, None]


SOURCED = [*COLUMNS, "source"]


def _listed(rows: list[tuple[str, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SOURCED, orient="row")


def test_a_namesake_already_on_the_records_own_list_is_not_a_candidate() -> None:
    # Two Nguyễn Văn Hùng born in 1972, known apart by their dates (day and month in either
    # order: "0210" is 2 October or 10 February). The health-insurance list
    # has the one born on 14 March and a record with the year only: that record is not the
    # one of 14 March (a list holds a person once), so it is the one of 2 October.
    rows = [
        ("1", "Nguyễn Văn Hùng", "1972-03-14", "M", "", "04465", VILLAGE, "bhyt"),
        ("2", "Nguyễn Văn Hùng", "1972", "M", "", "04465", VILLAGE, "bhyt"),
        ("3", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04465", VILLAGE, "tro_cap"),
    ]
    counted = add_namesake_counts(prepare_people(_listed(rows)))
    assert counted["namesakes_open"].to_list() == [None, "|0210|", None]
    pairs = make_linker().run(_listed(rows), threshold=0.0).pairs
    chance = {
        frozenset((left, right)): p
        for left, right, p in pairs.select(
            "person_id_l", "person_id_r", "match_probability"
        ).iter_rows()
    }
    assert chance[frozenset("23")] > 0.5 > chance[frozenset("12")]


def test_a_record_whose_id_a_dated_namesake_carries_is_that_namesakes() -> None:
    rows = [
        ("1", "Nguyễn Văn Hùng", "1972-03-14", "M", "015072004417", "04465", VILLAGE, "bhyt"),
        ("2", "Nguyễn Văn Hùng", "1972", "M", "015072004417", "04465", VILLAGE, "bhyt"),
        ("3", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04465", VILLAGE, "tro_cap"),
    ]
    counted = add_namesake_counts(prepare_people(_listed(rows)))
    assert counted["namesakes_open"].to_list() == [None, "|0314|", None]


def test_with_both_namesakes_on_other_lists_nothing_tells_which() -> None:
    rows = [
        ("1", "Nguyễn Văn Hùng", "1972-03-14", "M", "", "04465", VILLAGE, "bhyt"),
        ("2", "Nguyễn Văn Hùng", "1972", "M", "", "04465", VILLAGE, "nguoi_co_cong"),
        ("3", "Nguyễn Văn Hùng", "1972-10-02", "M", "", "04465", VILLAGE, "tro_cap"),
    ]
    counted = add_namesake_counts(prepare_people(_listed(rows)))
    assert counted["namesakes_open"].to_list() == [None, "|0210|0314|", None]
    clusters = make_linker().run(_listed(rows), threshold=0.9).clusters
    assert clusters["cluster_id"].n_unique() == 3

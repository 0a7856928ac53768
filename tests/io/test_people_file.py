"""The people file of `ansinh dedupe` (DESIGN.md): bad files give errors naming row and column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ansinh.errors import InputError
from ansinh.io.people_file import read_people, write_clusters, write_pairs

HEADER = "person_id,full_name,birth_date,sex,citizen_id,commune_code,notes\n"


def _write(tmp_path: Path, text: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str | None]]:
    with pytest.raises(InputError) as caught:
        read_people(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.row, p.column) for p in caught.value.problems]


def test_a_good_file_keeps_extra_columns_and_fills_missing_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "p1,Nguyễn Văn Hùng,1958,Nam,001058012345,04465,x\n")
    frame = read_people(path)
    assert frame.row(0, named=True)["notes"] == "x"
    assert frame.row(0, named=True)["address"] == ""


def test_every_bad_row_is_named_with_its_column(tmp_path: Path) -> None:
    rows = [
        "p1,Nguyễn Văn Hùng,1958-13-01,M,001058012345,04465,",  # month 13
        "p1,Lò Thị Mai,1960-02-30,F,,04465,",  # duplicate id, 30 February
        "p3,,1960,X,12345,04465,",  # no name, bad sex, 5-digit ID
    ]
    path = _write(tmp_path, HEADER + "\n".join(rows) + "\n")
    assert _problems(path) == [
        (2, "birth_date"),
        (2, "person_id"),
        (3, "birth_date"),
        (3, "person_id"),
        (4, "citizen_id"),
        (4, "full_name"),
        (4, "sex"),
    ]


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "person_id,name\np1,Hùng\n")
    assert _problems(path) == [(1, "full_name")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), ("person_id,full_name\n1,Hùng\n".encode("cp1258"), "UTF-8")],
)
def test_empty_or_not_utf8_files_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_people(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="File not found"):
        read_people(tmp_path / "none.csv")


def test_outputs_have_the_contract_columns(tmp_path: Path) -> None:
    pairs = pl.DataFrame(
        {"person_id_l": ["a"], "person_id_r": ["b"], "match_probability": [0.98765432], "x": [1]}
    )
    write_pairs(tmp_path / "pairs.csv", pairs)
    write_clusters(
        tmp_path / "clusters.csv", pl.DataFrame({"person_id": ["a"], "cluster_id": ["a"]})
    )
    assert (tmp_path / "pairs.csv").read_text().splitlines() == [
        "person_id_l,person_id_r,match_probability",
        "a,b,0.987654",
    ]
    assert (tmp_path / "clusters.csv").read_text().splitlines()[0] == "person_id,cluster_id"

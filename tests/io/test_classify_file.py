"""`classify_file`: the HOUSEHOLDS.csv → OUT.csv contract of domain/poverty.md, and its errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ansinh.domain.poverty import load_standard
from ansinh.errors import InputError
from ansinh.io.classify_file import OUTPUT_COLUMNS, classify_file

STANDARD = load_standard("vn-2022-2025")
KEYS = STANDARD.indicators


def households_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """A HOUSEHOLDS.csv with every indicator column, 0 unless the row says otherwise."""
    full = [
        {"household_id": r["household_id"], "area": r["area"], "income_per_capita": r["income"]}
        | {f"deprived_{key}": r.get(key, 0) for key in KEYS}
        | {"note": "extra columns are kept out of the way"}
        for r in rows
    ]
    pl.DataFrame(full).with_columns(pl.all().cast(pl.String)).write_csv(path)
    return path


def test_statuses_at_the_rural_lines_of_decree_07_2021(tmp_path: Path) -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 1: rural poor ≤ 1,500,000 VND and lacking ≥ 3 indicators.
    three = dict.fromkeys(KEYS[:3], 1)
    source = households_csv(
        tmp_path / "h.csv",
        [
            {"household_id": "H1", "area": "nông thôn", "income": 1_500_000, **three},
            {"household_id": "H2", "area": "rural", "income": 1_500_000},
            {"household_id": "H3", "area": "Nong thon", "income": 1_500_001, **three},
            {"household_id": "H4", "area": "rural", "income": 2_250_001},
        ],
    )
    out = tmp_path / "out.csv"
    assert classify_file(source, STANDARD, out) == 4
    result = pl.read_csv(out, infer_schema=False)
    assert tuple(result.columns) == OUTPUT_COLUMNS
    assert result["status"].to_list() == ["poor", "near_poor", "average", "none"]
    assert result["deprivation_count"].to_list() == ["3", "0", "3", "0"]
    assert result["deprived"][0] == ";".join(KEYS[:3])
    assert set(result["standard"]) == {"vn-2022-2025"}


def test_urban_line_is_two_million(tmp_path: Path) -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 1(b): urban near-poor ≤ 2,000,000 VND.
    source = households_csv(
        tmp_path / "h.csv",
        [
            {"household_id": "U1", "area": "thành thị", "income": 2_000_000},
            {"household_id": "U2", "area": "urban", "income": 2_000_001},
        ],
    )
    out = tmp_path / "out.csv"
    classify_file(source, STANDARD, out)
    assert pl.read_csv(out)["status"].to_list() == ["near_poor", "average"]


def test_every_bad_cell_is_named_and_nothing_written(tmp_path: Path) -> None:
    source = households_csv(
        tmp_path / "h.csv",
        [
            {"household_id": "H1", "area": "miền núi", "income": 1_000},
            {"household_id": "H1", "area": "rural", "income": "1.500.000"},
            {"household_id": "H3", "area": "rural", "income": 5, KEYS[0]: 2},
        ],
    )
    out = tmp_path / "out.csv"
    with pytest.raises(InputError) as raised:
        classify_file(source, STANDARD, out)
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {
        (2, "area"),
        (2, "household_id"),
        (3, "household_id"),
        (3, "income_per_capita"),
        (4, f"deprived_{KEYS[0]}"),
    }
    assert all(p.file == str(source) for p in raised.value.problems)
    assert not out.exists()


def test_a_missing_indicator_column_is_named(tmp_path: Path) -> None:
    source = tmp_path / "h.csv"
    source.write_text("household_id,area,income_per_capita\nH1,rural,100\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        classify_file(source, STANDARD, tmp_path / "out.csv")
    (problem,) = raised.value.problems
    assert problem.row == 1
    assert problem.column is not None and f"deprived_{KEYS[0]}" in problem.column


def test_a_file_classified_under_a_provisional_standard_says_so(tmp_path: Path) -> None:
    # Issue 15 item 7: what-if outputs under the 2027-2030 lines must not pass for results.
    standard = load_standard("vn-2027-2030")
    rows = [
        {"household_id": "H1", "area": "rural", "income_per_capita": "2000000"}
        | {f"deprived_{key}": "0" for key in standard.indicators}
    ]
    source = tmp_path / "in.csv"
    pl.DataFrame(rows).write_csv(source)
    out = tmp_path / "out.csv"
    classify_file(source, standard, out)
    result = pl.read_csv(out, infer_schema=False)
    assert tuple(result.columns) == (*OUTPUT_COLUMNS, "provisional")
    row = result.row(0, named=True)
    assert (row["status"], row["standard"], row["provisional"]) == (
        "near_poor",
        "vn-2027-2030",
        "true",
    )

"""`mpi_file`: MATRIX.csv + WEIGHTS.json → SUMMARY.json (domain/poverty.md), and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansinh.errors import InputError
from ansinh.io.mpi_file import mpi_file


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    return write(tmp_path / "w.json", json.dumps({"a": 0.5, "b": 0.25, "c": 0.25}))


def test_summary_has_the_contract_keys_and_weighted_values(tmp_path: Path, weights: Path) -> None:
    # Unit 1 (weight 3) scores 0.75, unit 2 (weight 1) 0.25, unit 3 (weight 4) 0.5; k = 1/2.
    matrix = write(
        tmp_path / "m.csv",
        "unit_id,weight,a,b,c\n1,3,1,1,0\n2,1,0,1,0\n3,4,1,0,0\n",
    )
    out = tmp_path / "summary.json"
    result = mpi_file(matrix, weights, "1/2", out)
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert set(summary) == {"n", "k", "H", "A", "M0", "censored_headcount", "contribution"}
    assert summary["n"] == 3
    assert summary["H"] == pytest.approx(7 / 8)
    assert summary["A"] == pytest.approx((3 * 0.75 + 4 * 0.5) / 7)
    assert summary["M0"] == pytest.approx(summary["H"] * summary["A"])
    assert summary["censored_headcount"] == pytest.approx({"a": 7 / 8, "b": 3 / 8, "c": 0.0})
    assert sum(summary["contribution"].values()) == pytest.approx(1.0)
    assert summary["H"] == result.H


def test_k_exactly_at_a_score_counts_as_poor(tmp_path: Path) -> None:
    # 4 × 1/12 is not exactly 1/3 in floating point; the tolerance of domain/poverty.md applies.
    twelve = [f"i{n}" for n in range(12)]
    weights = write(tmp_path / "w.json", json.dumps(dict.fromkeys(twelve, 1 / 12)))
    row = ",".join(["1"] * 4 + ["0"] * 8)
    matrix = write(tmp_path / "m.csv", f"unit_id,{','.join(twelve)}\nu1,{row}\n")
    assert mpi_file(matrix, weights, "1/3", tmp_path / "s.json").H == 1.0
    assert mpi_file(matrix, weights, "0.3333333333333333", tmp_path / "s.json").H == 1.0


@pytest.mark.parametrize("k", ["0", "1.5", "abc", "1/0"])
def test_a_bad_k_is_refused(tmp_path: Path, weights: Path, k: str) -> None:
    matrix = write(tmp_path / "m.csv", "unit_id,a,b,c\n1,1,0,0\n")
    with pytest.raises(InputError) as raised:
        mpi_file(matrix, weights, k, tmp_path / "s.json")
    assert raised.value.problems[0].file == "--k"


def test_weights_must_sum_to_one(tmp_path: Path) -> None:
    weights = write(tmp_path / "w.json", json.dumps({"a": 0.5, "b": 0.4}))
    matrix = write(tmp_path / "m.csv", "unit_id,a,b\n1,1,0\n")
    with pytest.raises(InputError, match=r"sum to 0\.9"):
        mpi_file(matrix, weights, "0.5", tmp_path / "s.json")


def test_bad_cells_are_named_and_nothing_written(tmp_path: Path, weights: Path) -> None:
    matrix = write(tmp_path / "m.csv", "unit_id,weight,a,b,c\n1,2,1,0,0\n1,-1,2,0,\n")
    out = tmp_path / "s.json"
    with pytest.raises(InputError) as raised:
        mpi_file(matrix, weights, "1/3", out)
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {(2, "unit_id"), (3, "unit_id"), (3, "weight"), (3, "a"), (3, "c")}
    assert not out.exists()

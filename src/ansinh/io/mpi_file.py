"""`ansinh mpi`: the Alkire–Foster measures of a 0/1 deprivation matrix read from files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from ansinh.domain.poverty import MPIResult, alkire_foster, parse_k
from ansinh.errors import InputError
from ansinh.io.checks import duplicated, flag, required
from ansinh.io.files import atomic_output
from ansinh.io.tables import read_table, require_columns
from ansinh.problems import problems, where_explained

WEIGHT_TOLERANCE = 1e-9


def mpi_file(matrix: Path, weights: Path, k: str, output: Path) -> MPIResult:
    """Read MATRIX.csv and WEIGHTS.json, compute the measures, write SUMMARY.json atomically."""
    cutoff = _cutoff(k)
    indicator_weights = read_weights(weights)
    frame = read_table(matrix)
    require_columns(matrix, frame, ["unit_id", *indicator_weights])
    g, w = _deprivations(str(matrix), frame, list(indicator_weights))
    result = alkire_foster(g, indicator_weights, cutoff, w)
    with atomic_output(output) as tmp:
        tmp.write_text(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    return result


def read_weights(path: Path) -> dict[str, float]:
    """Indicator → weight from a JSON object; the weights must be ≥ 0 and sum to 1."""
    file = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.single(file, "Không tìm thấy tệp", "File not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError.single(
            file, f"Không phải JSON hợp lệ: {error}", f"Not valid JSON: {error}"
        ) from None
    if not isinstance(raw, dict) or not raw:
        raise InputError.single(
            file,
            "Phải là một đối tượng JSON: chỉ số → trọng số",
            "Must be a JSON object: indicator → weight",
        )
    bad = [key for key, value in raw.items() if not _is_weight(value)]
    if bad:
        raise InputError.single(
            file,
            f"Trọng số phải là số ≥ 0: {', '.join(bad)}",
            f"Weights must be numbers ≥ 0: {', '.join(bad)}",
        )
    total = sum(float(value) for value in raw.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise InputError.single(
            file, f"Tổng trọng số phải bằng 1, không phải {total}", f"Weights sum to {total}, not 1"
        )
    return {str(key): float(value) for key, value in raw.items()}


def _is_weight(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0


def _cutoff(k: str) -> float:
    parsed = parse_k(k)
    if parsed is None:
        raise InputError.single(
            "--k",
            f"k phải là số hoặc phân số trong (0, 1], ví dụ 1/3: '{k}'",
            f"k must be a number or fraction in (0, 1], e.g. 1/3: '{k}'",
        )
    return float(parsed)


def _deprivations(
    file: str, frame: pl.DataFrame, indicators: list[str]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64] | None]:
    """The matrix and unit weights, or an InputError naming every bad cell."""
    has_weight = "weight" in frame.columns
    weight = pl.col("weight").cast(pl.Float64, strict=False)
    found = [
        *required(frame, ["unit_id", *indicators, *(["weight"] if has_weight else [])]),
        duplicated(frame, "unit_id", "Mã đơn vị", "Unit id"),
        *(flag(frame, column) for column in indicators),
    ]
    if has_weight:
        found.append(
            where_explained(
                frame,
                (pl.col("weight") != "") & ~(weight.is_finite() & (weight >= 0)).fill_null(False),
                "weight",
                pl.format("Trọng số phải là số ≥ 0: '{}'", pl.col("weight")),
                pl.format("Weight must be a number ≥ 0: '{}'", pl.col("weight")),
            )
        )
    bad = problems(file, found)
    if bad:
        raise InputError(bad)
    g = frame.select(pl.col(c).cast(pl.Int8) for c in indicators).to_numpy()
    return g, frame.select(weight).to_series().to_numpy() if has_weight else None

"""FIGURES 004 (Thanh Hóa, Hậu Lộc district): new-rural progress.

The article: 21/21 communes meet the new-rural (NTM) standard, 4 advanced, 1 model commune (Hoa
Lộc); 118 villages meet NTM (89.4%); 21 model villages (15.9%). The example files are built to
these figures, under the 2021–2025 commune criteria (Decision 318/QD-TTg 2022).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
import pytest

from ansinh.io.monitoring.runs import ntm_from_files

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))


@pytest.fixture(scope="module")
def hau_loc() -> dict[str, object]:
    run = ntm_from_files(
        EXAMPLES / "hau-loc-ntm-evaluations.csv", 2023, EXAMPLES / "hau-loc-ntm-recognitions.csv"
    )
    return run.report.filter(pl.col("parent_code") == "hau-loc").row(0, named=True)


def test_all_21_communes_meet_all_19_criteria(hau_loc: dict[str, object]) -> None:
    assert (hau_loc["communes"], hau_loc["communes_meeting_all"]) == (21, 21)
    assert (hau_loc["criteria_met_mean"], hau_loc["share_meeting_all"]) == (19.0, 1.0)


def test_advanced_and_model_communes(hau_loc: dict[str, object]) -> None:
    assert (hau_loc["communes_recognised"], hau_loc["communes_advanced"]) == (21, 4)
    assert hau_loc["communes_model"] == 1


def test_villages_meeting_ntm_and_model_villages(hau_loc: dict[str, object]) -> None:
    assert (hau_loc["villages_recognised"], hau_loc["villages"]) == (118, 132)
    assert round(hau_loc["villages_recognised_share"], 3) == 0.894  # type: ignore[call-overload]
    assert hau_loc["villages_model"] == 21
    assert round(hau_loc["villages_model_share"], 3) == 0.159  # type: ignore[call-overload]

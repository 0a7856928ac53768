"""FIGURES 002 and 004 from data loaded into the registry through `ansinh monitoring load`.

The same figures as test_figures_002/004, but read back from the stored rows by the registry
reports (`ansinh finance report` / `ansinh ntm report` without files): 2,419 billion VND
planned, 1,782 billion disbursed by 31/01/2025 = 73.7 %; 12.63 criteria per commune and 62
communes meeting the standard in Lào Cai (2024); Hậu Lộc 21/21 communes, 118/132 villages.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from tests.cli.conftest import Cli

EXAMPLES = Path(str(resources.files("ansinh").joinpath("data", "monitoring", "examples")))
BILLION = 1_000_000_000
LOADS = [
    ("plans", "lao-cai-2024-plans.csv", "15"),
    ("disbursements", "lao-cai-2024-disbursements.csv", "15"),
    ("ntm-evaluations", "lao-cai-ntm-evaluations.csv", "15"),
    ("ntm-recognitions", "lao-cai-ntm-recognitions.csv", "15"),
    ("ntm-evaluations", "hau-loc-ntm-evaluations.csv", "38"),  # Thanh Hóa
    ("ntm-recognitions", "hau-loc-ntm-recognitions.csv", "38"),
]


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    for kind, name, within in LOADS:
        result = cli("monitoring", "load", kind, str(EXAMPLES / name), "--within", within)
        assert result.exit_code == 0, result.output
    return cli


def report(cli: Cli, tmp_path: Path, *args: str) -> pl.DataFrame:
    out = tmp_path / "out.csv"
    result = cli(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return pl.read_csv(out)


def test_seed_002_finance_from_the_registry(loaded: Cli, tmp_path: Path) -> None:
    finance = report(loaded, tmp_path, "finance", "report", "--as-of", "2025-01-31")
    total = finance.filter((pl.col("programme") == "ALL") & (pl.col("capital_type") == "ALL"))
    assert round(total["plan_vnd"].item() / BILLION) == 2_419
    assert round(total["disbursed_vnd"].item() / BILLION) == 1_782
    assert round(total["rate"].item(), 3) == 0.737


def test_seed_002_and_004_new_rural_from_the_registry(loaded: Cli, tmp_path: Path) -> None:
    lao_cai = report(loaded, tmp_path, "ntm", "report", "--year", "2024")
    parents = set(lao_cai["parent_code"]) - {"ALL"}
    rows = lao_cai.filter(pl.col("parent_code").is_in(parents - {"hau-loc"}))
    communes = rows["communes"].sum()
    assert communes == 126 and rows["communes_meeting_all"].sum() == 62
    met = (rows["criteria_met_mean"] * rows["communes"]).sum() / communes
    assert round(met, 2) == 12.63
    hau_loc = report(loaded, tmp_path, "ntm", "report", "--year", "2023").filter(
        pl.col("parent_code") == "hau-loc"
    )
    row = hau_loc.row(0, named=True)
    assert (row["communes"], row["communes_meeting_all"]) == (21, 21)
    assert (row["villages_recognised"], row["villages"]) == (118, 132)


def test_loading_again_changes_nothing(loaded: Cli) -> None:
    result = loaded("monitoring", "load", "plans", str(EXAMPLES / LOADS[0][1]), "--within", "15")
    assert result.exit_code == 0 and "11 không đổi / unchanged" in result.output

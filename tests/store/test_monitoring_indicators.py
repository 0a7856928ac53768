"""The registry feeds the targets: indicators from each review, observations with their source."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, family, survey, write_csv

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.targets import Status, statuses
from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store import monitoring as store
from ansinh.store import monitoring_indicators as indicators
from ansinh.store.review import run_review
from ansinh.store.scope import Scope
from ansinh.workflows.monitoring_load import Loader, load_file

CLI = Loader("tester", None, Scope(None, None))
POOR = {"water", "sanitation", "telecom"}


def reviewed(engine: Engine, folder: Path, h1_income: int, same_commune: bool) -> Engine:
    """H1 (4 people, a meritorious grandfather) and H2 (2 people, 1,900,000 VND a head), 2023."""
    people = family()
    if same_commune:
        for row in people[4:]:
            row.update(
                commune_code=KHAO_MANG, village_code=f"{KHAO_MANG}-01", village_name="Thôn 1"
            )
    import_file(engine, write_csv(folder / "h.csv", people), actor="tester")
    surveys = [survey("H1", h1_income, POOR, year=2023), survey("H2", 1_900_000, set(), year=2023)]
    import_file(engine, write_csv(folder / "s.csv", surveys), actor="tester")
    run_review(engine, 2023, load_standard("vn-2022-2025"), "tester")
    return engine


def values(engine: Engine, unit: str) -> dict[str, float]:
    with engine.connect() as connection:
        found = indicators.registry_indicators(connection).filter(pl.col("unit_code") == unit)
    return dict(zip(found["indicator"], found["value"], strict=True))


def test_indicators_from_the_review(engine: Engine, tmp_path: Path) -> None:
    found = values(reviewed(engine, tmp_path, 1_500_000, same_commune=False), "15")
    assert {k: v for k, v in found.items() if k != "mpi_headcount"} == {
        "ethnic_minority_poverty_rate": 100.0,
        "meritorious_average_share": 100.0,  # H1 is the only household of its commune
        "meritorious_poor_households": 1.0,
        "near_poor_rate": 0.0,
        "poverty_rate": 50.0,
    }
    assert found["mpi_headcount"] >= 0


def test_meritorious_living_standard_is_income_against_the_communes_average(
    engine: Engine, tmp_path: Path
) -> None:
    """Seed 001's target: at or above the average of the community where they live. Khao Mang's
    average income per capita is (4 × 1,500,000 + 2 × 1,900,000) / 6 = 1,633,333: H1 is below."""
    found = values(reviewed(engine, tmp_path, 1_500_000, same_commune=True), KHAO_MANG)
    assert found["meritorious_average_share"] == 0.0


def test_at_the_communes_average_counts_as_at_or_above(engine: Engine, tmp_path: Path) -> None:
    # H1 at 1,900,000 too: the commune's average is 1,900,000, H1 exactly at it.
    found = values(reviewed(engine, tmp_path, 1_900_000, same_commune=True), KHAO_MANG)
    assert found["meritorious_average_share"] == 100.0


def test_stored_targets_get_their_observations_with_the_source_named(
    engine: Engine, tmp_path: Path
) -> None:
    reviewed(engine, tmp_path, 1_500_000, same_commune=True)
    # Loading the target set feeds it at once: 100 % of meritorious households by 2030.
    load_file(engine, "targets", Path("lao-cai-2030"), CLI)
    with engine.connect() as connection:
        seen = store.load_observations(connection)
        sources = store.observation_sources(connection)
    assert [(o.target_id, o.unit_code, o.year, o.value) for o in seen] == [
        ("lc2030-meritorious-living", "15", 2023, Decimal("0"))
    ]
    assert sources[("lc2030-meritorious-living", "15", 2023)].startswith(
        "sổ đăng ký / registry: rà soát / review 2023"
    )
    chosen = catalog.target_set("lao-cai-2030")
    (result,) = [r for r in statuses(chosen.targets, seen, 2024) if r.latest_year == 2023]
    assert result.status is Status.AT_RISK  # observed in the baseline year: r undefined
    with engine.begin() as connection:  # feeding again changes nothing
        assert indicators.feed_targets(connection, "tester") == {
            "create": 0, "update": 0, "delete": 0,
        }  # fmt: skip

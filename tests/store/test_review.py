"""The yearly review over the registry: classify in SQL, store, sum every unit at every level."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from tests.builders import family, survey, write_csv

from ansinh.domain.poverty import deprived_in, load_standard
from ansinh.domain.review import deprived_shares
from ansinh.io.importer import import_file
from ansinh.store.models import ReviewResult
from ansinh.store.reports import poverty_report
from ansinh.store.review import current_run, run_review

POOR_DEPRIVATIONS = {"water", "sanitation", "telecom"}


@pytest.fixture
def reviewed(engine: Engine, tmp_path: Path) -> pl.DataFrame:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    surveys = [survey("H1", 1_500_000, POOR_DEPRIVATIONS), survey("H2", 1_900_000, set())]
    import_file(engine, write_csv(tmp_path / "s.csv", surveys), actor="tester")
    return run_review(engine, 2025, load_standard("vn-2022-2025"), "tester").summary


def row(
    summary: pl.DataFrame, unit: str, kind: str = "all", value: str = "all"
) -> dict[str, object]:
    found = summary.filter(
        (pl.col("unit_code") == unit)
        & (pl.col("group_kind") == kind)
        & (pl.col("group_value") == value)
    )
    assert found.height == 1, (unit, kind, value)
    return found.row(0, named=True)


def test_each_household_is_classified_under_the_standard(
    engine: Engine, reviewed: pl.DataFrame
) -> None:
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(select(ReviewResult.household_id, ReviewResult.status)).all()
        )
        members = connection.scalar(select(func.sum(ReviewResult.members)))
    # Decree 07/2021/ND-CP, Art. 3: rural, income 1,500,000 (at the line) and 3 deprivations: poor.
    # 1,900,000 rural: above the poverty line, at most the 2,250,000 average line: average.
    assert sorted(statuses.values()) == ["average", "poor"]
    assert members == 6


def test_each_result_keeps_its_deprivations_and_mpi_poverty(
    engine: Engine, reviewed: pl.DataFrame
) -> None:
    standard = load_standard("vn-2022-2025")
    with engine.connect() as connection:
        rows = connection.execute(
            select(ReviewResult.deprivations, ReviewResult.mpi_poor).order_by(
                ReviewResult.household_id
            )
        ).all()
    score = sum(standard.indicator_weights[k] for k in POOR_DEPRIVATIONS)
    assert set(deprived_in(standard, rows[0].deprivations)) == POOR_DEPRIVATIONS
    assert rows[0].mpi_poor is (score >= standard.mpi_k - 1e-9)
    assert (rows[1].deprivations, rows[1].mpi_poor) == (0, False)


def test_every_level_sums_its_units(reviewed: pl.DataFrame) -> None:
    village = row(reviewed, "04465-01")
    commune = row(reviewed, "04465")
    province = row(reviewed, "15")
    country = row(reviewed, "VN")
    assert village["poor_households"] == commune["poor_households"] == 1
    assert province["households"] == country["households"] == 2
    assert province["poor_people"] == 4 and province["people"] == 6
    assert province["average_households"] == 1
    assert village["level"] == "village" and province["level"] == "province"


def test_groups_by_ethnicity_and_meritorious_members(reviewed: pl.DataFrame) -> None:
    mong = row(reviewed, "15", "ethnicity", "08")
    assert mong["poor_households"] == 1 and mong["people"] == 4
    assert row(reviewed, "15", "ethnic_minority", "minority")["poor_households"] == 1
    meritorious = row(reviewed, "15", "meritorious", "with_meritorious")
    assert meritorious["poor_households"] == 1 and meritorious["poor_people"] == 4
    able = row(reviewed, "15", "meritorious_can_work", "with_meritorious_can_work")
    assert able["poor_households"] == 1


def test_alkire_foster_measures_are_people_weighted(reviewed: pl.DataFrame) -> None:
    standard = load_standard("vn-2022-2025")
    province = row(reviewed, "15")
    score = sum(standard.indicator_weights[k] for k in POOR_DEPRIVATIONS)
    poor = score >= standard.mpi_k - 1e-9
    assert province["mpi_h"] == pytest.approx(4 / 6 if poor else 0.0)
    assert province["mpi_m0"] == pytest.approx(4 / 6 * score if poor else 0.0)
    shares = deprived_shares(str(province["indicators"]), int(str(province["people"])))
    assert shares["water"] == pytest.approx(4 / 6)
    assert shares["employment"] == 0
    # The people counts: 4 deprived in water, all of them in an MPI-poor household if it is.
    assert json.loads(str(province["indicators"]))["water"] == [4, 4 if poor else 0]


def test_a_rerun_replaces_the_current_run(engine: Engine, reviewed: pl.DataFrame) -> None:
    again = run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    with engine.connect() as connection:
        run = current_run(connection, 2025)
        report = poverty_report(connection, run, "15", "commune") if run else None
    assert run is not None and run.id == again.run_id
    assert report is not None
    assert report.rows["unit_code"].to_list() == ["04456", "04465", "15"]
    assert report.rows.filter(pl.col("unit_code") == "15")["poor_rate"].item() == 0.5


def test_what_if_under_the_2027_lines(engine: Engine, reviewed: pl.DataFrame) -> None:
    provisional = load_standard("vn-2027-2030")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE survey SET deprived_waste = 0")
    what_if = run_review(engine, 2025, provisional, "tester").summary
    # 1,900,000 is above the 2022-2025 rural line but below 2,200,000 (Decree 351/2025/ND-CP).
    assert row(what_if, "15")["near_poor_households"] == 1


def test_the_latest_questionnaire_of_the_year_is_the_one_classified(
    engine: Engine, tmp_path: Path
) -> None:
    # A household may be reviewed more than once a year (a regular review on application, then
    # the periodic one, Decision 24/2021/QĐ-TTg): the result is that of the latest questionnaire.
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    surveys = [
        survey("H1", 1_000_000, POOR_DEPRIVATIONS, survey_date="2025-06-01"),
        survey("H1", 1_000_000, set(), survey_date="2025-12-01"),
        survey("H2", 1_900_000, set(), survey_date="2025-12-01"),
        survey("H2", 1_000_000, POOR_DEPRIVATIONS, survey_date="2025-03-01"),
    ]
    import_file(engine, write_csv(tmp_path / "s.csv", surveys), actor="tester")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    with engine.connect() as connection:
        statuses = connection.execute(
            select(ReviewResult.status).order_by(ReviewResult.household_id)
        ).scalars()
        assert list(statuses) == ["near_poor", "average"]  # not poor, as the earlier ones were

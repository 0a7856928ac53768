"""The synthetic province: deterministic, importable, realistic, and with a consistent truth."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from ansinh.domain.poverty import classify_frame, load_standard
from ansinh.io.importer import import_file
from ansinh.store.models import Household, Person, Survey
from ansinh.synth import SyntheticProvince, generate_province, write_province


@pytest.fixture(scope="module")
def small() -> SyntheticProvince:
    return generate_province("15", 400, seed=7)


def test_the_same_seed_gives_the_same_files(small: SyntheticProvince, tmp_path: Path) -> None:
    again = generate_province("15", 400, seed=7)
    first = write_province(small, tmp_path / "a")
    second = write_province(again, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = generate_province("15", 400, seed=8)
    assert not other.people.equals(small.people)


def test_every_household_has_exactly_one_head(small: SyntheticProvince) -> None:
    heads = small.people.group_by("household_id").agg((pl.col("relation") == "head").sum())
    assert heads.height == 400
    assert heads["relation"].to_list() == [1] * 400


def test_names_are_nfc_and_communes_are_the_provinces(small: SyntheticProvince) -> None:
    names = small.people["full_name"].to_list()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert small.people["commune_code"].str.len_chars().unique().to_list() == [5]
    assert small.name == "Tỉnh Lào Cai"


def test_files_import_without_a_single_error(
    engine: Engine, small: SyntheticProvince, tmp_path: Path
) -> None:
    write_province(small, tmp_path)
    people = import_file(engine, tmp_path / "households.csv", actor="test")
    surveys = import_file(engine, tmp_path / "surveys.csv", actor="test")
    assert people.problems == [] and surveys.problems == []
    with engine.connect() as connection:
        count = lambda model: connection.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        assert count(Household) == 400
        assert count(Person) == small.people.height
        assert count(Survey) == 400


def test_poverty_lands_near_the_calibration_target() -> None:
    # synth/data/living.yaml: about 9 % poor and 7 % near-poor households in Lào Cai.
    province = generate_province("15", 20_000, seed=3)
    answers = province.surveys.with_columns(
        pl.col("income_per_capita").cast(pl.Int64),
        pl.col("^deprived_.*$").cast(pl.Int8),
    )
    status = classify_frame(answers, load_standard("vn-2022-2025"))["status"]
    shares = status.value_counts(normalize=True).to_dict(as_series=False)
    share = dict(zip(shares["status"], shares["proportion"], strict=True))
    assert 0.06 <= share["poor"] <= 0.13
    assert 0.04 <= share["near_poor"] <= 0.11


def test_the_truth_names_a_real_person_for_every_list_record(small: SyntheticProvince) -> None:
    records = small.list_records
    assert records["person_id"].is_unique().all()
    truth = small.truth
    assert truth.height == records.height
    assert set(truth["true_person_id"]) <= set(small.people["person_id"])
    # Some people are listed twice in one list, and many appear in several lists.
    per_list = truth.group_by("source", "true_person_id").len()
    assert per_list["len"].max() == 2  # type: ignore[operator]
    assert truth.group_by("true_person_id").len()["len"].max() >= 2  # type: ignore[operator]


def test_lists_carry_the_errors_real_lists_have(small: SyntheticProvince) -> None:
    records = small.list_records.join(small.truth, on=["person_id", "source"], how="inner").join(
        small.people.select(
            pl.col("person_id").alias("true_person_id"),
            pl.col("full_name").alias("true_name"),
            pl.col("citizen_id").alias("true_id"),
        ),
        on="true_person_id",
    )
    changed_names = records.filter(pl.col("full_name") != pl.col("true_name")).height
    changed_ids = records.filter(pl.col("citizen_id") != pl.col("true_id")).height
    assert 0.15 < changed_names / records.height < 0.6
    assert 0.05 < changed_ids / records.height < 0.4

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
        counts = [
            connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Household, Person, Survey)
        ]
    assert counts == [400, small.people.height, 400]


def test_poverty_lands_near_the_calibration_target() -> None:
    # synth/data/living.yaml: Lào Cai after the 2025 merger, weighted by households, about
    # 8.3 % poor and 6.2 % near-poor under Decree 07/2021/NĐ-CP (former Lào Cai, Quyết định
    # 3482/QĐ-UBND of 23/12/2024: 11.24 % and 9.94 %; former Yên Bái, end-2024 plan: 5.86 % poor,
    # 8.98 % poor or near-poor). A 20,000-household province must land within 1.5 points.
    province = generate_province("15", 20_000, seed=3)
    answers = province.surveys.with_columns(
        pl.col("income_per_capita").cast(pl.Int64),
        pl.col("^deprived_.*$").cast(pl.Int8),
    )
    status = classify_frame(answers, load_standard("vn-2022-2025"))["status"]
    shares = status.value_counts(normalize=True).to_dict(as_series=False)
    share = dict(zip(shares["status"], shares["proportion"], strict=True))
    assert share["poor"] == pytest.approx(0.083, abs=0.015)
    assert share["near_poor"] == pytest.approx(0.062, abs=0.015)


def test_the_truth_names_a_real_person_for_every_list_record(small: SyntheticProvince) -> None:
    records = small.list_records
    assert records["person_id"].is_unique().all()
    truth = small.truth
    assert truth.height == records.height
    assert set(truth["true_person_id"]) <= set(small.people["person_id"])
    # Some people are listed twice in one list, and many appear in several lists.
    per_list = truth.group_by("source", "true_person_id").len()
    assert (per_list["len"] <= 2).all() and (per_list["len"] == 2).any()
    assert (truth.group_by("true_person_id").len()["len"] >= 2).any()


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

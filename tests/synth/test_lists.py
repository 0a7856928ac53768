"""Benefit lists: each injected error is the one the truth file names, on a real person."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import polars as pl
import pytest

from ansinh.domain.names import fold
from ansinh.synth import SyntheticProvince, generate_province, write_province


@pytest.fixture(scope="module")
def province() -> SyntheticProvince:
    return generate_province("15", 2_000, seed=5)


@pytest.fixture(scope="module")
def records(province: SyntheticProvince) -> pl.DataFrame:
    """Each list record beside the registry person the truth file says it is."""
    true = province.people.select(
        pl.col("person_id").alias("true_person_id"),
        pl.col("full_name").alias("true_name"),
        pl.col("birth_date").alias("true_birth"),
        pl.col("citizen_id").alias("true_id"),
        pl.col("sex").alias("true_sex"),
        pl.col("commune_code").alias("true_commune"),
    )
    joined = province.list_records.join(province.truth, on=["person_id", "source"])
    return joined.join(true, on="true_person_id").with_columns(pl.col("errors").str.split(";"))


def test_every_record_is_in_the_truth_once(
    province: SyntheticProvince, records: pl.DataFrame
) -> None:
    assert records.height == province.list_records.height == province.truth.height
    assert (records["sex"] == records["true_sex"]).all()
    assert (records["commune_code"] == records["true_commune"]).all()


def test_a_record_without_errors_is_the_person_as_registered(records: pl.DataFrame) -> None:
    clean = records.filter(pl.col("errors").list.first() == "")
    assert clean.height > 0.3 * records.height
    assert (clean["full_name"] == clean["true_name"]).all()
    assert (clean["birth_date"] == clean["true_birth"]).all()
    assert (clean["citizen_id"] == clean["true_id"]).all()


def test_each_error_is_what_it_says(records: pl.DataFrame) -> None:
    def having(kind: str) -> pl.DataFrame:
        found = records.filter(pl.col("errors").list.contains(kind))
        assert found.height > 0, kind
        return found

    plain = having("no_diacritics")
    assert plain["full_name"].str.contains(r"^[\x00-\x7F]*$").all()
    only = plain.filter(
        ~pl.col("errors")
        .list.set_intersection(["typo", "dropped_middle"])
        .list.len()
        .cast(pl.Boolean)
    )
    assert all(
        fold(a) == fold(b) for a, b in zip(only["full_name"], only["true_name"], strict=True)
    )
    year = having("year_only")
    assert (year["birth_date"] == year["true_birth"].str.slice(0, 4)).all()
    swapped = having("day_month_swapped")
    assert (swapped["birth_date"].str.slice(5, 2) == swapped["true_birth"].str.slice(8, 2)).all()
    assert (swapped["birth_date"] != swapped["true_birth"]).all()
    assert (having("missing_id")["citizen_id"] == "").all()
    old = having("old_id")
    assert old["citizen_id"].str.contains(r"^\d{9}$").all()
    assert (old["true_birth"].str.slice(0, 4).cast(pl.Int32) <= 2001).all()
    moved = having("transposed_id")
    assert (moved["citizen_id"] != moved["true_id"]).all()
    assert (moved["citizen_id"].str.slice(0, 10) == moved["true_id"].str.slice(0, 10)).all()
    assert all(
        sorted(a) == sorted(b) for a, b in zip(moved["citizen_id"], moved["true_id"], strict=True)
    )
    typo = having("typo").filter(pl.col("errors").list.len() == 1)
    assert (typo["full_name"] != typo["true_name"]).all()
    assert (typo["full_name"].str.len_chars() == typo["true_name"].str.len_chars()).all()


def test_repeats_and_overlaps_are_injected(records: pl.DataFrame) -> None:
    # Seed 001: assistance issued at many stages to many groups, "so it is easy to have
    # overlaps, duplicate subjects". The lists hold both: a person twice in one list, and
    # one person on several lists.
    repeats = records.filter(pl.col("repeat"))
    assert repeats.height > 0
    firsts = records.filter(~pl.col("repeat")).select("source", "true_person_id")
    assert repeats.join(firsts, on=["source", "true_person_id"], how="anti").height == 0
    assert firsts.is_duplicated().sum() == 0
    lists_per_person = records.group_by("true_person_id").agg(pl.col("source").n_unique())
    assert (lists_per_person["source"] >= 2).sum() > 10


def test_list_names_are_nfc(province: SyntheticProvince) -> None:
    names = province.list_records["full_name"].to_list()
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_another_process_writes_the_same_bytes(province: SyntheticProvince, tmp_path: Path) -> None:
    # Python salts str hashes per process: a generator that used hash() would differ here.
    write_province(province, tmp_path / "here")
    code = (
        "import sys; from pathlib import Path; from ansinh.synth import *; "
        "write_province(generate_province('15', 2000, seed=5), Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True)
    here = sorted((tmp_path / "here").iterdir())
    there = sorted((tmp_path / "there").iterdir())
    assert [p.name for p in here] == [p.name for p in there]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(here, there, strict=True))

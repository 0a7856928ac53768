"""Namesakes and twins in the synthetic province, and the truth file that names them."""

from __future__ import annotations

import polars as pl
import pytest

from ansinh.synth import SyntheticProvince, generate_province
from ansinh.synth.kin import TWIN_DELIVERY_SHARE, kin_truth


@pytest.fixture(scope="module")
def province() -> SyntheticProvince:
    return generate_province("15", 6_000, seed=5)


@pytest.fixture(scope="module")
def kin(province: SyntheticProvince) -> pl.DataFrame:
    people = province.people.rename({"person_id": "true_person_id"})
    return kin_truth(province.people).join(people, on="true_person_id")


def test_namesakes_are_people_of_one_name_commune_and_year_with_their_own_id(
    kin: pl.DataFrame,
) -> None:
    named = kin.filter(pl.col("namesake_group") != "").with_columns(
        pl.col("birth_date").str.slice(0, 4).alias("year")
    )
    assert named.height > 50
    groups = named.group_by("namesake_group").agg(
        pl.len(),
        pl.col("full_name", "commune_code", "year").n_unique(),
        pl.col("citizen_id").filter(pl.col("citizen_id") != "").n_unique().alias("ids"),
        pl.col("citizen_id").filter(pl.col("citizen_id") != "").len().alias("with_id"),
        pl.col("citizen_id").str.slice(0, 6).filter(pl.col("citizen_id") != "").n_unique(),
    )
    assert (groups["len"] >= 2).all()
    assert (groups["full_name"] == 1).all() and (groups["commune_code"] == 1).all()
    assert (groups["year"] == 1).all()
    assert (groups["ids"] == groups["with_id"]).all()  # each their own valid number
    # Born in the province in one year, of one sex: most share the ID's first six digits.
    assert (groups["citizen_id"] == 1).mean() > 0.8  # type: ignore[operator]


def test_twins_are_children_of_one_household_born_on_one_day(kin: pl.DataFrame) -> None:
    twins = kin.filter(pl.col("twin_group") != "")
    groups = twins.group_by("twin_group").agg(
        pl.len(), pl.col("household_id", "birth_date").n_unique()
    )
    assert (groups["len"] >= 2).all()
    assert (groups["household_id"] == 1).all() and (groups["birth_date"] == 1).all()
    children = kin.filter(pl.col("relation").is_in(["child", "grandchild"])).height
    deliveries = children - (twins.height - groups.height)
    assert 0.4 * TWIN_DELIVERY_SHARE < groups.height / deliveries < 2 * TWIN_DELIVERY_SHARE


def test_the_truth_file_says_which_list_records_are_namesakes_and_twins(
    province: SyntheticProvince, kin: pl.DataFrame
) -> None:
    truth = province.truth
    assert truth.columns[-3:] == ["true_household_id", "namesake_group", "twin_group"]
    assert (truth["namesake_group"] != "").sum() > 0
    joined = truth.join(kin, on="true_person_id", suffix="_kin")
    assert (joined["namesake_group"] == joined["namesake_group_kin"]).all()
    assert (joined["true_household_id"] == joined["household_id"]).all()

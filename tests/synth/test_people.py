"""Synthetic people: valid citizen IDs, consistent families, realistic names and deprivations."""

from __future__ import annotations

import polars as pl
import pytest

from ansinh.domain import codelists
from ansinh.synth import SyntheticProvince, generate_province


@pytest.fixture(scope="module")
def province() -> SyntheticProvince:
    return generate_province("15", 3_000, seed=11)


def test_citizen_ids_follow_decree_137_2015_article_13(province: SyntheticProvince) -> None:
    # 3 digits of the birth-registration province, 1 of century and sex, 2 of the birth year,
    # 6 more (Decree 137/2015/NĐ-CP Art. 13; Circular 59/2021/TT-BCA Art. 7).
    rules = codelists.citizen_id_rules()
    people = province.people.filter(pl.col("citizen_id") != "")
    ids = people["citizen_id"]
    assert ids.is_unique().all()
    assert ids.str.contains(r"^\d{12}$").all()
    assert ids.str.slice(0, 3).is_in(rules["province_codes"]).all()
    digit = {
        digit: (int(start), sex)
        for start, digits in rules["century_sex_digits"].items()
        for digit, sex in zip(digits, ["M", "F"], strict=True)
    }
    for cid, birth, sex in people.select("citizen_id", "birth_date", "sex").iter_rows():
        start, id_sex = digit[cid[3]]
        assert id_sex == sex
        assert start + int(cid[4:6]) == int(birth[:4])
    # Most people have a number; a few (not yet issued) do not.
    assert 0.9 < people.height / province.people.height < 1.0


def test_families_fit_the_relations_of_the_household_book(province: SyntheticProvince) -> None:
    # data/registry/relations.yaml (Luật Cư trú 68/2020/QH14, Art. 26): one head, at most one
    # spouse, children and grandchildren born after the head, parents before.
    people = province.people.with_columns(pl.col("birth_date").str.slice(0, 4).cast(pl.Int32))
    head_year = people.filter(pl.col("relation") == "head").select(
        "household_id", pl.col("birth_date").alias("head_year"), pl.col("sex").alias("head_sex")
    )
    joined = people.join(head_year, on="household_id")
    per_household = people.group_by("household_id").agg(
        (pl.col("relation") == "head").sum().alias("heads"),
        (pl.col("relation") == "spouse").sum().alias("spouses"),
    )
    assert (per_household["heads"] == 1).all()
    assert (per_household["spouses"] <= 1).all()
    younger = joined.filter(pl.col("relation").is_in(["child", "grandchild"]))
    assert (younger["birth_date"] >= younger["head_year"]).all()
    older = joined.filter(pl.col("relation") == "parent")
    assert (older["birth_date"] <= older["head_year"]).all()
    spouses = joined.filter(pl.col("relation") == "spouse")
    assert (spouses["sex"] != spouses["head_sex"]).all()


def test_household_sizes_and_ethnic_mix_look_like_lao_cai(province: SyntheticProvince) -> None:
    # synth/data/provinces.yaml: Kinh about 44 % of people, Mông about 19 %, Tày 15 %, Dao 12 %
    # (2019 census of the two former provinces, weighted); mean household size 3.5-4.2.
    people = province.people
    share = people["ethnicity"].value_counts(normalize=True)
    of = dict(zip(share["ethnicity"], share["proportion"], strict=True))
    assert of["Kinh"] == pytest.approx(0.44, abs=0.06)
    assert of["Mông"] == pytest.approx(0.19, abs=0.05)
    assert of["Tày"] == pytest.approx(0.15, abs=0.05)
    assert of["Dao"] == pytest.approx(0.12, abs=0.04)
    assert 3.5 <= people.height / province.surveys.height <= 4.2


def test_kinh_surnames_follow_their_published_frequencies(province: SyntheticProvince) -> None:
    # Lê Trung Hoa's survey of Vietnamese surnames: Nguyễn about 38.4 %, Trần 11 %, Lê 9.5 %.
    kinh = province.people.filter(pl.col("ethnicity") == "Kinh")
    surname = kinh["full_name"].str.split(" ").list.first()
    share = surname.value_counts(normalize=True)
    of = dict(zip(share["full_name"], share["proportion"], strict=True))
    assert of["Nguyễn"] == pytest.approx(0.384, abs=0.04)
    assert of["Trần"] == pytest.approx(0.11, abs=0.025)
    assert of["Lê"] == pytest.approx(0.095, abs=0.025)
    mong = province.people.filter(pl.col("ethnicity") == "Mông")["full_name"]
    assert mong.str.split(" ").list.first().is_in(["Nguyễn", "Trần"]).sum() == 0


def test_deprivations_concern_members_the_household_has(province: SyntheticProvince) -> None:
    # Decree 07/2021/NĐ-CP Art. 3(1)(b): school attendance is about children aged 3 to under 16,
    # nutrition about children under 16; a household without them cannot lack either.
    people = province.people.with_columns(
        (2025 - pl.col("birth_date").str.slice(0, 4).cast(pl.Int32)).alias("age")
    )
    children = people.filter(pl.col("age") <= 16)["household_id"].unique()
    without = province.surveys.filter(~pl.col("household_id").is_in(children.implode()))
    assert without.height > 100
    assert (without["deprived_child_schooling"] == "0").all()
    assert (without["deprived_nutrition"] == "0").all()
    assert (province.surveys["deprived_child_schooling"] == "1").any()


def test_benefits_reach_the_people_the_rules_name(province: SyntheticProvince) -> None:
    # Seed 001: more than 13,000 of about 181,600 households in Lào Cai keep meritorious
    # records (about 7 %); Decree 20/2021/NĐ-CP Art. 5: the social pension from age 80.
    people = province.people.with_columns(
        (2025 - pl.col("birth_date").str.slice(0, 4).cast(pl.Int32)).alias("age")
    )
    merit = people.filter(pl.col("meritorious_category") != "")
    assert merit["household_id"].n_unique() / province.surveys.height == pytest.approx(
        0.07, abs=0.02
    )
    elderly = people.filter(pl.col("social_assistance_category") == "elderly_80")
    assert (elderly["age"] >= 80).all()
    categories = codelists.benefit_categories()
    for column, programme in codelists.BENEFIT_COLUMNS.items():
        used = set(people[column].unique()) - {""}
        assert used and used <= categories[programme]

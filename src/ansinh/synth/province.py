"""A whole synthetic province: its registry file, questionnaires, benefit lists and truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from ansinh.domain.poverty import PovertyStandard, classify_frame, standard_in_force
from ansinh.io.files import atomic_output
from ansinh.synth import (
    benefits,
    capacity,
    decisions,
    households,
    identity,
    kin,
    lists,
    living,
    members,
    units,
)
from ansinh.synth._codes import ROLES, ethnic_names
from ansinh.synth._data import load
from ansinh.synth._random import stream

MAX_HOUSEHOLDS = 1_000_000
TRUTH_COLUMNS = (
    *lists.TRUTH_COLUMNS,
    "true_household_id",
    "namesake_group",
    "twin_group",
)


@dataclass(frozen=True)
class SyntheticProvince:
    code: str
    name: str
    year: int
    people: pl.DataFrame  # the households import template, one row per person
    surveys: pl.DataFrame  # the questionnaire template, one row per household
    lists: dict[str, pl.DataFrame]  # benefit lists in the people contract
    truth: pl.DataFrame  # person_id, source → true_person_id, repeat, errors, kin (TRUTH_COLUMNS)
    decisions: pl.DataFrame  # the decisions behind the benefits (`ansinh benefits decide`)
    disadvantaged: list[str]  # the extremely disadvantaged communes

    @property
    def list_records(self) -> pl.DataFrame:
        """Every list's records together: the input of `ansinh dedupe`."""
        return pl.concat(list(self.lists.values()))


def generate_province(
    code: str, households_wanted: int, seed: int, year: int = 2025
) -> SyntheticProvince:
    """The same code, size, seed and year always give the same province."""
    if not 1 <= households_wanted <= MAX_HOUSEHOLDS:
        raise ValueError(f"households must be between 1 and {MAX_HOUSEHOLDS:,}")
    place = units.province(code)
    reference = date(year, 12, 14)  # the periodic review's last day (Decision 24/2021/QĐ-TTg)
    standard = _standard(reference)
    registry, answers = _population(place, households_wanted, standard, reference, seed)
    household_ids = registry.filter(pl.col("relation") == "head")["household_id"]
    surveys = answers.with_columns(
        household_ids, pl.lit(str(year)).alias("year"), pl.lit("").alias("survey_date")
    ).select("household_id", "year", "survey_date", *answers.columns)
    drawn = lists.draw(registry, stream(seed, "lists"))
    truth = drawn.truth.join(kin.kin_truth(registry), on="true_person_id", how="left")
    granted = decisions.generate(registry, reference, stream(seed, "decisions"))
    return SyntheticProvince(
        code=place.code,
        name=place.name,
        year=year,
        people=registry,
        surveys=_as_text(surveys),
        lists=drawn.records,
        truth=truth.select(TRUTH_COLUMNS),
        decisions=granted,
        disadvantaged=[c.code for c in place.communes if c.profile.eba],
    )


def _population(
    place: units.Province, size: int, standard: PovertyStandard, reference: date, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The registry file and the questionnaire answers; the arrays behind them are let go."""
    communes = place.communes
    per_commune = units.allocate_households(communes, size, stream(seed, "communes"))
    villages = units.village_counts(per_commune)
    homes = households.generate(communes, per_commune, villages, stream(seed, "homes"))
    people = kin.with_twins(members.expand(homes, stream(seed, "members")), stream(seed, "twins"))
    able = capacity.assess(people, stream(seed, "capacity"))
    who = identity.assign(homes, people, communes, place.code, reference, stream(seed, "id"))
    answers = living.survey(homes, people, able, communes, standard, stream(seed, "living"))
    status = classify_frame(answers, standard)["status"].to_numpy()
    given = benefits.assign(homes, people, able, communes, status, stream(seed, "benefits"))
    household_ids = _household_ids(place.code, homes.commune.size)
    registry = _registry(place, homes, people, able, who, given, household_ids)
    return registry, answers


def write_province(province: SyntheticProvince, folder: Path) -> list[Path]:
    """households.csv, surveys.csv, list_<name>.csv, people.csv, truth.csv, decisions.csv and
    disadvantaged_communes.csv, each atomically."""
    files = {
        "households.csv": province.people,
        "surveys.csv": province.surveys,
        **{f"list_{name}.csv": frame for name, frame in province.lists.items()},
        "people.csv": province.list_records,
        "truth.csv": province.truth,
        "decisions.csv": province.decisions,
        "disadvantaged_communes.csv": pl.DataFrame({"unit_code": province.disadvantaged}),
    }
    written = []
    for name, frame in files.items():
        with atomic_output(folder / name) as tmp:
            frame.write_csv(tmp)
        written.append(folder / name)
    return written


def _standard(reference: date) -> PovertyStandard:
    """The standard in force on the review day, if the generator knows all its indicators."""
    try:
        standard = standard_in_force(reference)
    except LookupError:
        raise ValueError(f"no poverty standard is in force on {reference}") from None
    known = set(load("living")["deprivation"]["base"]["urban"]) | {"dependents"}
    unknown = [key for key in standard.indicators if key not in known]
    if unknown:
        raise ValueError(f"{standard.id}: the generator has no rates for {', '.join(unknown)}")
    return standard


def _household_ids(province: str, count: int) -> pl.Series:
    """H, the province's code, a number: the provinces of one registry never share a code."""
    return f"H{province}" + pl.Series(np.arange(1, count + 1)).cast(pl.String).str.zfill(7)


def _registry(
    place: units.Province,
    homes: households.Households,
    people: members.People,
    able: capacity.Capacity,
    who: identity.Identity,
    given: benefits.Benefits,
    household_ids: pl.Series,
) -> pl.DataFrame:
    commune = homes.commune[people.household]
    codes = pl.Series([c.code for c in place.communes]).gather(commune)
    commune_names = pl.Series([c.name for c in place.communes]).gather(commune)
    village_number = pl.Series(homes.village[people.household]).cast(pl.String).str.zfill(2)
    village_kind = pl.Series(["Tổ dân phố" if c.urban else "Thôn" for c in place.communes])
    village_numbers = pl.Series(homes.village[people.household]).cast(pl.String)
    village_names = village_kind.gather(commune) + " " + village_numbers
    frame = pl.DataFrame(
        {
            "person_id": f"P{place.code}"
            + pl.Series(np.arange(1, people.count + 1)).cast(pl.String).str.zfill(8),
            "household_id": household_ids.gather(people.household),
            "full_name": who.full_name,
            "birth_date": who.birth_date,
            "sex": pl.Series(["F", "M"]).gather(people.male.astype(np.int64)),
            "citizen_id": who.citizen_id,
            "commune_code": codes,
            "address": village_names + ", " + commune_names + ", " + place.name,
            "source": "registry",
            "village_code": codes + "-" + village_number,
            "village_name": village_names,
            "relation": pl.Series(ROLES).gather(people.role),
            "ethnicity": pl.Series(ethnic_names()).gather(people.ethnicity),
            "able_to_work": pl.Series(["0", "1"]).gather(able.able.astype(np.int64)),
            "disability": pl.Series(["", "severe", "extremely_severe"]).gather(
                able.disabled.astype(np.int64) + able.extremely_severe.astype(np.int64)
            ),
            "meritorious_category": given.meritorious,
            "social_assistance_category": given.social_assistance,
            "health_insurance_category": given.health_insurance,
        }
    )
    return _as_text(frame)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.all().cast(pl.String))

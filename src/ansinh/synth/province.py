"""A whole synthetic province: its registry file, questionnaires, benefit lists and truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from ansinh.domain.poverty import classify_frame, standard_in_force
from ansinh.io.files import atomic_output
from ansinh.synth import benefits, capacity, households, identity, lists, living, members, units
from ansinh.synth._codes import ROLES, ethnic_names
from ansinh.synth._random import stream

MAX_HOUSEHOLDS = 1_000_000


@dataclass(frozen=True)
class SyntheticProvince:
    code: str
    name: str
    year: int
    people: pl.DataFrame  # the households import template, one row per person
    surveys: pl.DataFrame  # the questionnaire template, one row per household
    lists: dict[str, pl.DataFrame]  # benefit lists in the people contract
    truth: pl.DataFrame  # list record → registry person

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
    per_commune = units.allocate_households(
        place.communes, households_wanted, stream(seed, "communes")
    )
    villages = units.village_counts(per_commune)
    homes = households.generate(place.communes, per_commune, villages, stream(seed, "homes"))
    people = members.expand(homes, stream(seed, "members"))
    able = capacity.assess(people, stream(seed, "capacity"))
    who = identity.assign(homes, people, place.communes, place.code, reference, stream(seed, "id"))
    standard = standard_in_force(reference)
    answers = living.survey(homes, people, able, place.communes, standard, stream(seed, "living"))
    status = classify_frame(answers, standard)["status"].to_numpy()
    given = benefits.assign(homes, people, able, place.communes, status, stream(seed, "benefits"))
    household_ids = _household_ids(homes.commune.size)
    registry = _registry(place, homes, people, able, who, given, household_ids)
    surveys = pl.concat(
        [
            pl.DataFrame({"household_id": household_ids}).with_columns(
                pl.lit(str(year)).alias("year"), pl.lit("").alias("survey_date")
            ),
            answers,
        ],
        how="horizontal",
    )
    drawn = lists.draw(registry, stream(seed, "lists"))
    return SyntheticProvince(
        code=place.code,
        name=place.name,
        year=year,
        people=registry,
        surveys=_as_text(surveys),
        lists=drawn.records,
        truth=drawn.truth,
    )


def write_province(province: SyntheticProvince, folder: Path) -> list[Path]:
    """households.csv, surveys.csv, list_<name>.csv, people.csv and truth.csv, each atomically."""
    files = {
        "households.csv": province.people,
        "surveys.csv": province.surveys,
        **{f"list_{name}.csv": frame for name, frame in province.lists.items()},
        "people.csv": province.list_records,
        "truth.csv": province.truth,
    }
    written = []
    for name, frame in files.items():
        with atomic_output(folder / name) as tmp:
            frame.write_csv(tmp)
        written.append(folder / name)
    return written


def _household_ids(count: int) -> pl.Series:
    return "H" + pl.Series(np.arange(1, count + 1)).cast(pl.String).str.zfill(7)


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
            "person_id": "P"
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
            "meritorious_category": given.meritorious,
            "social_assistance_category": given.social_assistance,
            "health_insurance_category": given.health_insurance,
        }
    )
    return _as_text(frame)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.all().cast(pl.String))

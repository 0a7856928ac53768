"""How often a full name and birth year occur twice in a commune of 10,000 (issue 18).

    python bench/linkage/namesake_rate.py [--size 10000] [--households 100000]

Expected from the name tables `ansinh synth` draws from (synth/data/names.yaml), the Kinh
tradition, and the birth years and sexes of a synthetic province: each person's expected
number of namesakes is (N - 1) times the chance that another person has the same sex, birth
year, surname, middle name (of that sex and generation) and given name; the share with at
least one is the mean of 1 - exp(-that). Then observed: the share of people in the synthetic
province's communes who share name and birth year with someone, scaled to N by commune size.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from ansinh.synth import generate_province
from ansinh.synth._data import load


def _shares(table: dict[str, float]) -> dict[str, float]:
    total = sum(table.values())
    return {k: v / total for k, v in table.items()}


def expected_share(people: pl.DataFrame, size: int) -> float:
    """Share of Kinh people with at least one namesake among `size` like them."""
    config = load("names")
    kinh = config["traditions"]["kinh"]
    younger = int(config["younger_from"])
    frame = people.filter(pl.col("ethnicity") == "Kinh").with_columns(
        pl.col("birth_date").str.slice(0, 4).cast(pl.Int32).alias("year"),
        pl.col("full_name").str.split(" ").alias("words"),
    )
    sex_year = frame.group_by("sex", "year").len().with_columns(pl.col("len") / frame.height)
    p_sex_year = {(s, y): p for s, y, p in sex_year.iter_rows()}
    surnames = _shares(kinh["surnames"])
    rates = []
    for sex, year, words in frame.select("sex", "year", "words").iter_rows():
        key = "male" if sex == "M" else "female"
        middles = kinh["middle_younger"] if year >= younger else kinh["middle"]
        middle = _shares(middles[key]).get(" ".join(words[1:-1]), 0.0)
        given = _shares(kinh["given"][key]).get(words[-1], 0.0)
        chance = p_sex_year[(sex, year)] * surnames.get(words[0], 0.0) * middle * given
        rates.append((size - 1) * chance)
    return float(np.mean(1 - np.exp(-np.array(rates))))


def observed_share(people: pl.DataFrame, size: int) -> float:
    """Share with a namesake in their commune, each commune's rate scaled to `size` people."""
    year = pl.col("birth_date").str.slice(0, 4)
    frame = people.filter(pl.col("ethnicity") == "Kinh").with_columns(
        (pl.len().over("commune_code", "full_name", year) - 1).alias("others"),
        pl.len().over("commune_code").alias("commune_size"),
    )
    # Poisson: the expected number of namesakes grows with the commune's size.
    rate = pl.col("others").mean().over("commune_code") * (size - 1) / (pl.col("commune_size") - 1)
    scaled = frame.filter(pl.col("commune_size") > 200).select((1 - (-rate).exp()).mean())
    return float(scaled.item())


def one_name(people: pl.DataFrame, size: int, year: int = 1970) -> tuple[float, float]:
    """Nguyễn Thị Hoa born in `year`: expected count among `size` Kinh people, P(two or more)."""
    kinh = load("names")["traditions"]["kinh"]
    frame = people.filter(pl.col("ethnicity") == "Kinh")
    born = (
        frame.filter(
            (pl.col("sex") == "F") & (pl.col("birth_date").str.slice(0, 4) == str(year))
        ).height
        / frame.height
    )
    chance = (
        born
        * _shares(kinh["surnames"])["Nguyễn"]
        * _shares(kinh["middle"]["female"])["Thị"]
        * _shares(kinh["given"]["female"])["Hoa"]
    )
    expected = size * chance
    return expected, float(1 - np.exp(-expected) * (1 + expected))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--province", default="01")
    args = parser.parse_args()
    people = generate_province(args.province, args.households, seed=1).people
    print(f"Kinh people in the synthetic province {args.province}: "
          f"{people.filter(pl.col('ethnicity') == 'Kinh').height:,}")  # fmt: skip
    expected = expected_share(people, args.size)
    print(f"expected from the tables, commune of {args.size:,}: {expected:.1%}")
    count, twice = one_name(people, args.size)
    print(f"Nguyễn Thị Hoa born in 1970, commune of {args.size:,}: {count:.2f} expected, "
          f"twice or more with probability {twice:.1%}")  # fmt: skip
    observed = observed_share(people, args.size)
    print(f"observed in ansinh synth, scaled to {args.size:,}: {observed:.1%}")


if __name__ == "__main__":
    main()

"""The bench's namesake-heavy set: what it promises (namesakes made as the issue describes)."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "linkage"))

import namesakes


def test_the_set_is_the_same_for_a_seed_and_never_imports_ansinh() -> None:
    first, truth = namesakes.generate(3000, seed=4)
    again, _ = namesakes.generate(3000, seed=4)
    assert first.equals(again)
    assert truth["person_id"].to_list() == first["person_id"].to_list()
    source = Path(namesakes.__file__).read_text(encoding="utf-8")
    assert "import ansinh" not in source and "from ansinh" not in source


def test_namesakes_share_name_commune_and_year_but_not_id_or_day_and_month() -> None:
    people, truth = namesakes.generate(6000, seed=4)
    clean = (
        people.join(truth, on="person_id")
        .filter(
            (pl.col("birth_date").str.len_chars() == 10)
            & (pl.col("citizen_id").str.len_chars() == 12)
            & (pl.col("full_name").str.count_matches(" ") == 2)
        )
        .with_columns(
            pl.col("full_name").str.to_lowercase().alias("name"),
            pl.col("birth_date").str.slice(0, 4).alias("year"),
            pl.col("commune_code").str.zfill(5).alias("commune"),
        )
        .unique(["entity_id", "name", "year"])
    )
    groups = clean.group_by("name", "year", "commune").agg(
        pl.col("entity_id").n_unique().alias("people"),
        pl.col("citizen_id").str.slice(0, 6).n_unique().alias("prefixes"),
    )
    shared = groups.filter(pl.col("people") > 1)
    assert shared.height > 100  # namesake-heavy
    # Namesakes' IDs mostly share the six digits of birth province, sex and year.
    assert (shared["prefixes"] == 1).mean() > 0.8  # type: ignore[operator]
    kinds = truth["kind"].value_counts()
    assert set(kinds["kind"]) == {"", "namesake", "sibling", "twin"}

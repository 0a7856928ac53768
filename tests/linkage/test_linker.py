"""The same person found across two lists; namesakes of one commune kept apart (DuckDB)."""

from __future__ import annotations

import polars as pl
import pytest
from tests.linkage.people import ASSISTANCE, REGISTRY, SAME_PERSON, people

from ansinh.linkage.evidence import evidence_frame
from ansinh.linkage.linker import LinkageResult, make_linker
from ansinh.linkage.settings import load_config


@pytest.fixture(scope="module")
def linked() -> LinkageResult:
    return make_linker("duckdb").run(people(REGISTRY, ASSISTANCE), threshold=0.9)


def _pairs(result: LinkageResult) -> set[tuple[str, str]]:
    rows = result.pairs.select("person_id_l", "person_id_r").rows()
    return {tuple(sorted(row)) for row in rows}  # type: ignore[misc]


def test_the_same_person_is_found_across_two_lists(linked: LinkageResult) -> None:
    # Seed 001 (FIGURES.md): policies issued at many stages, "easy to have duplicate subjects".
    # Variants: upper case, 'Nam'/'Nữ', day and month swapped, year-only birth date, no
    # diacritics, a dropped or shortened middle name, two swapped digits of an old 9-digit ID.
    assert _pairs(linked) == SAME_PERSON


def test_namesakes_in_one_commune_are_kept_apart(linked: LinkageResult) -> None:
    # h1 and h2: both Nguyễn Văn Hùng of commune 04465, born 1958 and 1990, different IDs.
    clusters = dict(linked.clusters.select("person_id", "cluster_id").rows())
    assert clusters["h1"] != clusters["h2"]
    assert clusters["h1"] == clusters["a1"]
    assert clusters["h2"] not in {clusters[p] for p in clusters if p != "h2"}
    # h3 (Nguyễn Thị Hoà) and h12 (Nguyễn Thị Lan): same surname, middle name and commune.
    assert clusters["h3"] != clusters["h12"]


def test_every_person_has_a_cluster(linked: LinkageResult) -> None:
    assert linked.clusters.height == len(REGISTRY) + len(ASSISTANCE)
    assert linked.clusters["person_id"].n_unique() == linked.clusters.height


def test_evidence_names_what_agreed_and_what_differed(linked: LinkageResult) -> None:
    evidence = evidence_frame(linked.pairs, load_config())
    a1 = evidence.filter(pl.col("person_id_l") == "a1").rows_by_key("field", named=True)
    assert a1["birth"][0]["level"] == "day and month swapped"
    assert a1["citizen_id"][0]["level"] == "same citizen ID"
    assert a1["citizen_id"][0]["agreed"] is True
    a7 = evidence.filter(pl.col("person_id_l") == "a7").rows_by_key("field", named=True)
    assert a7["citizen_id"][0]["level"] == "one digit wrong or two swapped"
    # The weights of a pair's fields and the prior add up to its match weight.
    total = evidence.group_by("person_id_l").agg(pl.col("weight").sum())
    joined = total.join(linked.pairs, on="person_id_l")
    spread = (joined["match_weight"] - joined["weight"]).to_list()
    assert max(spread) - min(spread) < 0.01


def test_a_rare_surname_counts_more_than_a_common_one(linked: LinkageResult) -> None:
    # Term-frequency adjustment: "Giàng" (once per list) against "Nguyễn" (five times).
    evidence = evidence_frame(linked.pairs, load_config()).filter(pl.col("field") == "surname")
    weight = dict(evidence.select("person_id_l", "weight").rows())
    assert weight["a4"] > weight["a1"]


def test_one_person_alone_is_its_own_cluster() -> None:
    result = make_linker().run(people(REGISTRY[:1]))
    assert result.pairs.height == 0
    assert result.clusters.rows() == [("h1", "h1")]


def test_spark_without_pyspark_says_how_to_install_it() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match=r"ansinh\[spark\]"):
            make_linker("spark")
    else:
        pytest.skip("pyspark is installed; the Spark path is exercised by the bench")


def test_without_evidence_the_pairs_are_the_same_and_only_ids_and_probabilities() -> None:
    frame = people(REGISTRY, ASSISTANCE)
    full = make_linker().run(frame, threshold=0.9)
    lean = make_linker().run(frame, threshold=0.9, evidence=False)
    assert _pairs(lean) == _pairs(full)
    assert "gamma_birth" not in lean.pairs.columns and lean.prepared.height == 0

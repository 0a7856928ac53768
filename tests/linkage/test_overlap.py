"""Overlap rules as data: every rule cites its source; each kind finds what it should."""

from __future__ import annotations

import polars as pl

from ansinh.linkage.clusters import connected_components
from ansinh.linkage.overlap import KINDS, find_overlaps, load_rules

BENEFITS = pl.DataFrame(
    [
        # p1 and p2 are one man (same cluster) paid the monthly social assistance twice.
        ("p1", "h1", "social_assistance", "elderly_poor", False),
        ("p2", "h2", "social_assistance", "elderly_poor", False),
        # p3: the over-80 allowance and the meritorious allowance (Decree 20/2021, art. 5).
        ("p3", "h3", "social_assistance", "elderly_80", False),
        ("p3", "h3", "meritorious", "war_invalid", False),
        # p4 died and is still paid.
        ("p4", "h4", "meritorious", "martyr_relative", True),
        # h5: two members each paid the poor-household electricity support.
        ("p5", "h5", "electricity_support", "poor", False),
        ("p6", "h5", "electricity_support", "poor", False),
        # p7: one card, nothing wrong.
        ("p7", "h6", "health_insurance", "poor", False),
    ],
    schema=["person_id", "household_id", "programme", "category", "deceased"],
    orient="row",
)
CLUSTERS = pl.DataFrame({"person_id": ["p1", "p2"], "cluster_id": ["p1", "p1"]})


def test_every_rule_has_a_known_kind_and_a_legal_reference() -> None:
    for rule in load_rules():
        assert rule.kind in KINDS
        assert rule.reference.strip() and rule.name_vi and rule.name_en


def test_each_kind_of_rule_finds_its_breach_and_lists_the_records() -> None:
    found = {(r["rule"], tuple(r["people"])) for r in find_overlaps(BENEFITS, CLUSTERS).to_dicts()}
    assert found == {
        ("social_assistance_rules", ("p1", "p2")),
        ("elderly_allowance_and_pension_like", ("p3",)),
        ("living_monthly_allowances", ("p4",)),
        ("electricity_support_per_household", ("p5", "p6")),
    }


def test_without_the_linkage_two_records_are_two_people() -> None:
    empty = pl.DataFrame(schema={"person_id": pl.String, "cluster_id": pl.String})
    rules = set(find_overlaps(BENEFITS, empty)["rule"])
    assert "social_assistance_rules" not in rules


def test_clusters_join_chains_of_pairs() -> None:
    pairs = pl.DataFrame({"person_id_l": ["b", "c", "x"], "person_id_r": ["a", "b", "y"]})
    clusters = connected_components(pl.Series(["a", "b", "c", "d", "x", "y"]), pairs)
    assert dict(clusters.iter_rows()) == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "d",
        "x": "x",
        "y": "x",
    }


def rows(*benefits: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [(p, "h", programme, category, False) for p, programme, category in benefits],
        schema=["person_id", "household_id", "programme", "category", "deceased"],
        orient="row",
    )


def programme_findings(frame: pl.DataFrame, same_person: list[str]) -> set[str]:
    clusters = pl.DataFrame(
        {"person_id": same_person, "cluster_id": same_person[:1] * len(same_person)}
    )
    return {r["rule"] for r in find_overlaps(frame, clusters).to_dicts()}


def test_two_meritorious_categories_of_one_person_are_lawful() -> None:
    """Ordinance 02/2020 Art. 6(3) pays each category, even on two records of one person."""
    lawful = rows(("a", "meritorious", "war_invalid"), ("b", "meritorious", "martyr_relative"))
    assert programme_findings(lawful, ["a", "b"]) == set()


def test_one_meritorious_category_on_two_records_is_an_overlap() -> None:
    twice = rows(("a", "meritorious", "war_invalid"), ("b", "meritorious", "war_invalid"))
    assert programme_findings(twice, ["a", "b"]) == {"meritorious_rules"}


def test_two_carer_allowances_are_an_overlap() -> None:
    """Art. 6(3): of the carer allowances, the highest only."""
    carers = rows(
        ("a", "meritorious", "carer_war_invalid_81"), ("a", "meritorious", "carer_agent_orange_81")
    )
    assert programme_findings(carers, ["a"]) == {"meritorious_rules"}


def test_social_assistance_pays_one_category_but_a_poor_single_parent_both() -> None:
    """Decree 20/2021 Art. 6(2)."""
    two = rows(("a", "social_assistance", "disabled"), ("a", "social_assistance", "elderly_80"))
    assert programme_findings(two, ["a"]) == {"social_assistance_rules"}
    parent = rows(
        ("a", "social_assistance", "disabled"), ("a", "social_assistance", "single_parent_poor")
    )
    assert programme_findings(parent, ["a"]) == set()

"""Overlapping benefits, set-based: the rules of data/linkage/overlap_rules.yaml over clusters."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl
import yaml

from ansinh.domain.benefits.loader import shipped_programmes

KINDS = ("once", "exclusive", "living", "per_household", "programme")
FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "cluster_id": pl.String(),
    "people": pl.List(pl.String()),
    "benefits": pl.List(pl.String()),
}


@dataclass(frozen=True)
class OverlapRule:
    """One rule: its code, kind, the benefit selectors it reads, names and legal reference."""

    code: str
    kind: str
    benefits: tuple[str, ...]
    name_vi: str
    name_en: str
    reference: str


@lru_cache(maxsize=2)
def load_rules(name: str = "overlap_rules.yaml") -> tuple[OverlapRule, ...]:
    text = resources.files("ansinh.data.linkage").joinpath(name).read_text(encoding="utf-8")
    rules = []
    for raw in yaml.safe_load(text)["rules"]:
        if raw["kind"] not in KINDS:
            raise ValueError(f"{name}: rule {raw['code']}: unknown kind {raw['kind']!r}")
        rules.append(
            OverlapRule(
                code=raw["code"],
                kind=raw["kind"],
                benefits=tuple(raw["benefits"]),
                name_vi=raw["name_vi"],
                name_en=raw["name_en"],
                reference=raw["reference"]["title"],
            )
        )
    return tuple(rules)


def find_overlaps(
    benefits: pl.DataFrame, clusters: pl.DataFrame, rules: tuple[OverlapRule, ...] | None = None
) -> pl.DataFrame:
    """Findings: rule, cluster_id (a person or a household), people, benefits.

    `benefits`: person_id, household_id, programme, category and optionally `deceased`
    (bool); `clusters`: person_id, cluster_id from the linkage (a person missing from it is
    their own cluster).
    """
    frame = (
        benefits.join(clusters, on="person_id", how="left")
        .with_columns(pl.col("cluster_id").fill_null(pl.col("person_id")))
        .with_columns((pl.col("programme") + ":" + pl.col("category")).alias("benefit"))
    )
    if "deceased" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("deceased"))
    found = [_apply(rule, frame) for rule in rules or load_rules()]
    return pl.concat([pl.DataFrame(schema=FINDING_SCHEMA), *found]).sort("rule", "cluster_id")


def _apply(rule: OverlapRule, frame: pl.DataFrame) -> pl.DataFrame:
    key = "household_id" if rule.kind == "per_household" else "cluster_id"
    selected = frame.with_columns(_selector(rule.benefits).alias("selector")).filter(
        pl.col("selector").is_not_null() & pl.col(key).is_not_null()
    )
    if rule.kind == "living":
        return _findings(rule, selected.filter(pl.col("deceased").fill_null(False)), key)
    if rule.kind == "programme":
        return _findings(rule, _beyond_rules(selected, rule.benefits[0]), key)
    grouped = selected.group_by(key).agg(
        pl.col("person_id").n_unique().alias("records"),
        pl.col("selector").n_unique().alias("selectors"),
    )
    threshold = pl.col("selectors") > 1 if rule.kind == "exclusive" else pl.col("records") > 1
    keys = grouped.filter(threshold)[key]
    return _findings(rule, selected.filter(pl.col(key).is_in(keys.implode())), key)


def _findings(rule: OverlapRule, rows: pl.DataFrame, key: str) -> pl.DataFrame:
    return (
        rows.group_by(key)
        .agg(
            pl.col("person_id").unique().sort().alias("people"),
            pl.col("benefit").unique().sort().alias("benefits"),
        )
        .select(
            pl.lit(rule.code).alias("rule"),
            pl.col(key).cast(pl.String).alias("cluster_id"),
            "people",
            "benefits",
        )
    )


def _selector(selectors: tuple[str, ...]) -> pl.Expr:
    """The first selector a benefit row matches ("programme" or "programme:category")."""
    expr: pl.Expr = pl.lit(None, pl.String)
    for selector in reversed(selectors):
        programme, _, category = selector.partition(":")
        matches = pl.col("programme") == programme
        if category:
            matches &= pl.col("category") == category
        expr = pl.when(matches).then(pl.lit(selector)).otherwise(expr)
    return expr


def _beyond_rules(rows: pl.DataFrame, programme: str) -> pl.DataFrame:
    """A real person's rows of a programme that its rules would not all pay: for a programme
    that pays the highest, more than one row (beside the categories paid besides it); for one
    that pays each category, a category on two records, or two categories of a group of which
    only the highest is paid."""
    rules = shipped_programmes()[programme]
    if rules.pays == "highest":
        counted = rows.filter(~pl.col("category").is_in(list(rules.paid_besides_highest)))
        many = counted.group_by("cluster_id").agg(pl.len().alias("n")).filter(pl.col("n") > 1)
        return counted.join(many.select("cluster_id"), on="cluster_id")
    twice = (
        rows.group_by("cluster_id", "category")
        .agg(pl.col("person_id").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
        .select("cluster_id", "category")
    )
    groups = pl.DataFrame(
        [(code, str(i)) for i, group in enumerate(rules.highest_only) for code in group],
        schema={"category": pl.String, "group": pl.String},
        orient="row",
    )
    grouped = rows.join(groups, on="category")
    crowded = (
        grouped.group_by("cluster_id", "group")
        .agg(pl.col("category").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
        .select("cluster_id", "group")
    )
    return pl.concat(
        [
            rows.join(twice, on=["cluster_id", "category"]),
            grouped.join(crowded, on=["cluster_id", "group"]).drop("group"),
        ]
    ).unique()

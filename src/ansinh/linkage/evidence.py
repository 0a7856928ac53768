"""Field-by-field evidence of a scored pair: what agreed, what differed, and by how much."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ansinh.linkage.settings import LinkageConfig


@dataclass(frozen=True)
class Evidence:
    """One comparison of one pair: the values, the level reached and its weight (log2 BF)."""

    field: str
    level: str
    left: str | None
    right: str | None
    weight: float
    agreed: bool


def evidence_frame(pairs: pl.DataFrame, config: LinkageConfig) -> pl.DataFrame:
    """One row per pair and comparison: person_id_l/_r, field, level, left, right, weight.

    `weight` is the comparison's match weight including its term-frequency adjustment, so that
    the weights of a pair add up (with the prior) to its match weight. `agreed` is a positive
    weight: the field pushed the pair towards a match.
    """
    labels = config.level_labels()
    parts = []
    for comparison in config.raw["comparisons"]:
        name = comparison["name"]
        gamma = pl.col(f"gamma_{name}")
        tf = f"mw_tf_adj_{name}"
        weight = pl.col(f"mw_{name}") + (pl.col(tf) if tf in pairs.columns else pl.lit(0.0))
        parts.append(
            pairs.select(
                "person_id_l",
                "person_id_r",
                pl.lit(name).alias("field"),
                pl.when(gamma < 0)
                .then(pl.lit("missing"))
                .otherwise(gamma.replace_strict(dict(enumerate(labels[name])), default="?"))
                .alias("level"),
                _shown(pairs, comparison["show"], "l").alias("left"),
                _shown(pairs, comparison["show"], "r").alias("right"),
                weight.cast(pl.Float64).round(3).alias("weight"),
            )
        )
    frame = pl.concat(parts)
    return frame.with_columns((pl.col("weight") > 0).alias("agreed"))


def evidence_json(pairs: pl.DataFrame, config: LinkageConfig) -> pl.DataFrame:
    """person_id_l, person_id_r and the pair's evidence as one JSON array (for the queue)."""
    return (
        evidence_frame(pairs, config)
        .group_by("person_id_l", "person_id_r", maintain_order=True)
        .agg(pl.struct("field", "level", "left", "right", "weight", "agreed").alias("evidence"))
        .with_columns(pl.col("evidence").list.eval(pl.element().struct.json_encode()))
        .with_columns(("[" + pl.col("evidence").list.join(",") + "]").alias("evidence"))
    )


def _shown(pairs: pl.DataFrame, columns: list[str], side: str) -> pl.Expr:
    present = [f"{c}_{side}" for c in columns if f"{c}_{side}" in pairs.columns]
    if not present:
        return pl.lit(None, pl.String)
    return pl.coalesce([pl.col(c).cast(pl.String) for c in present])

"""Clusters as connected components of accepted pairs, set-based (label propagation)."""

from __future__ import annotations

import polars as pl


def connected_components(people: pl.Series, pairs: pl.DataFrame) -> pl.DataFrame:
    """person_id, cluster_id (the smallest person_id of its component) for every person.

    `pairs` has person_id_l and person_id_r; each round gives every person the smallest label
    among its neighbours, until no label changes (rounds = the widest cluster's diameter).
    """
    labels = pl.DataFrame({"person_id": people.cast(pl.String).unique()}).with_columns(
        pl.col("person_id").alias("cluster_id")
    )
    edges = pairs.select(
        pl.col("person_id_l").cast(pl.String).alias("a"),
        pl.col("person_id_r").cast(pl.String).alias("b"),
    )
    edges = pl.concat([edges, edges.select(pl.col("b").alias("a"), pl.col("a").alias("b"))])
    while True:
        offered = (
            edges.join(labels, left_on="b", right_on="person_id")
            .group_by("a")
            .agg(pl.col("cluster_id").min().alias("offered"))
        )
        updated = (
            labels.join(offered, left_on="person_id", right_on="a", how="left")
            .with_columns(pl.min_horizontal("cluster_id", "offered").alias("cluster_id"))
            .drop("offered")
        )
        changed = updated.join(labels, on="person_id").filter(
            pl.col("cluster_id") != pl.col("cluster_id_right")
        )
        labels = updated
        if changed.height == 0:
            return labels.sort("person_id")

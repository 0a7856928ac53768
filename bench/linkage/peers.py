"""The peers, configured as their documentation shows: generic Splink and recordlinkage (ECM)."""

from __future__ import annotations

import logging

import polars as pl


def generic_splink(people: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Splink 5 on DuckDB as its person-data examples do: first/last name, dob, ID, place; EM."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    words = pl.col("full_name").str.to_lowercase().str.split(" ")
    frame = people.select(
        pl.col("person_id").alias("unique_id"),
        words.list.first().alias("first_name"),
        words.list.last().alias("surname"),
        pl.when(pl.col("birth_date").str.len_chars() == 10).then(pl.col("birth_date")).alias("dob"),
        pl.when(pl.col("citizen_id") != "").then(pl.col("citizen_id")).alias("citizen_id"),
        pl.when(pl.col("commune_code") != "").then(pl.col("commune_code")).alias("commune_code"),
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("citizen_id"),
            cl.ExactMatch("commune_code"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("citizen_id"),
        ],
    )
    api = DuckDBAPI()
    linker = Linker(api.register(frame.to_arrow()), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    return pl.DataFrame(clusters.as_duckdbpyrelation().arrow()).select(
        pl.col("unique_id").alias("person_id"), pl.col("cluster_id").cast(pl.String)
    )


def recordlinkage_ecm(people: pl.DataFrame) -> pl.DataFrame:
    """The recordlinkage toolkit: blocking on surname and on birth date, comparisons, ECM."""
    import recordlinkage

    from ansinh.linkage.clusters import connected_components

    frame = (
        people.with_columns(
            pl.when(pl.col(c) != "").then(pl.col(c)).alias(c)
            for c in ["birth_date", "citizen_id", "commune_code", "address"]
        )
        .with_columns(
            pl.col("full_name").str.to_lowercase().str.split(" ").list.first().alias("first"),
            pl.col("full_name").str.to_lowercase().str.split(" ").list.last().alias("last"),
        )
        .to_pandas()
        .set_index("person_id")
    )
    indexer = recordlinkage.Index()
    indexer.block("last")
    indexer.block("birth_date")
    indexer.block("citizen_id")
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("first", "first", method="jarowinkler", threshold=0.85, label="first")
    compare.string("last", "last", method="jarowinkler", threshold=0.85, label="last")
    compare.exact("birth_date", "birth_date", label="birth_date")
    compare.exact("citizen_id", "citizen_id", label="citizen_id")
    compare.exact("commune_code", "commune_code", label="commune")
    compare.string("address", "address", method="jarowinkler", threshold=0.85, label="address")
    features = compare.compute(candidates, frame)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    pairs = pl.DataFrame(
        {
            "person_id_l": [str(a) for a, _ in matches],
            "person_id_r": [str(b) for _, b in matches],
        },
        schema={"person_id_l": pl.String, "person_id_r": pl.String},
    )
    return connected_components(people["person_id"], pairs)

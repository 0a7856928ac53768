"""What the review needs of each household's people, kept on the household as they change."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, text

from ansinh.store import frames

# The facts, in the order the household's columns hold them.
COLUMNS = ["members", "workers", "head_ethnicity", "meritorious_members"]

# Counted from the household's people and their benefits, as the yearly review once counted
# them on every run (3 s of a million households). The migration that added the columns
# (0011) filled them with the same counts.
_FACTS = """
    (members, workers, head_ethnicity) = (
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.able_to_work THEN 1 ELSE 0 END), 0),
               MAX(CASE WHEN p.relation = 'head' THEN p.ethnicity_code END)
        FROM person AS p WHERE p.household_id = household.id),
    meritorious_members = (
        SELECT COUNT(*) FROM person AS p WHERE p.household_id = household.id AND EXISTS (
            SELECT 1 FROM benefit AS b
            WHERE b.person_id = p.id AND b.programme = 'meritorious'))
"""


# The same counts on PostgreSQL, for all the households at once: the statement above ran its
# subqueries once per household there (5.6 s of a 50,000-household import, 0.6 s on SQLite).
# A household whose counts did not change is not written again (a re-import changes few).
_FACTS_GROUPED = """
    UPDATE household AS h
    SET members = f.members, workers = f.workers, head_ethnicity = f.head_ethnicity,
        meritorious_members = f.meritorious_members
    FROM (
        SELECT k.id, COUNT(p.id) AS members,
               COALESCE(SUM(CASE WHEN p.able_to_work THEN 1 ELSE 0 END), 0) AS workers,
               MAX(CASE WHEN p.relation = 'head' THEN p.ethnicity_code END) AS head_ethnicity,
               COUNT(p.id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM benefit AS b
                   WHERE b.person_id = p.id AND b.programme = 'meritorious'
               )) AS meritorious_members
        FROM unnest(CAST(:ids AS bigint[])) AS k (id)
        LEFT JOIN person AS p ON p.household_id = k.id
        GROUP BY k.id
    ) AS f
    WHERE h.id = f.id
      AND (h.members, h.workers, h.head_ethnicity, h.meritorious_members)
          IS DISTINCT FROM (f.members, f.workers, f.head_ethnicity, f.meritorious_members)
"""


def count_again(connection: Connection, household_ids: pl.Series) -> None:
    """Count the facts of these households again, after their people or benefits changed."""
    ids = household_ids.drop_nulls().unique()
    if ids.is_empty():
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text(_FACTS_GROUPED), {"ids": frames.keys_parameter(connection, ids)})
        return
    connection.execute(
        text(f"UPDATE household SET {_FACTS} WHERE {frames.among(connection, 'id', 'ids')}"),
        {"ids": frames.keys_parameter(connection, ids)},
    )


def of_new(people: pl.DataFrame, benefits: pl.DataFrame) -> pl.DataFrame:
    """The facts of each household whose people are all about to be written as new records,
    counted from those rows (`people`: code, household_code, relation, able_to_work,
    ethnicity_code and `id`, null for a new person; `benefits`: the person codes and
    programmes added), as `count_again` would count them once written.

    A new household is written once, with its facts: inserted, then counted again, it was
    written twice (on PostgreSQL the grouped UPDATE took 1.6 s of 250,000 new people, and left
    as many dead rows). A household with a member already held is left out: its facts are
    counted in the registry.
    """
    meritorious = benefits.filter(pl.col("programme") == "meritorious")["person_id"]
    head = pl.col("relation") == "head"
    return (
        people.select(
            "household_code",
            "relation",
            "able_to_work",
            "ethnicity_code",
            "id",
            # Flagged per person before grouping: a test of the list in each group's
            # aggregation took 5 s of 65,000 households.
            pl.col("code").is_in(meritorious.implode()).alias("_meritorious"),
        )
        .group_by("household_code")
        .agg(
            pl.len().cast(pl.Int64).alias("members"),
            pl.col("able_to_work").fill_null(False).sum().cast(pl.Int64).alias("workers"),
            # The largest, as SQL's MAX: the checks allow one head, and its code is digits.
            pl.col("ethnicity_code").filter(head).max().alias("head_ethnicity"),
            pl.col("_meritorious").sum().cast(pl.Int64).alias("meritorious_members"),
            pl.col("id").is_not_null().any().alias("_held"),
        )
        .filter(~pl.col("_held"))
        .select(pl.col("household_code").alias("code"), *COLUMNS)
    )

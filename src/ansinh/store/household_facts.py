"""What the review needs of each household's people, kept on the household as they change."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, text

from ansinh.store import frames

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


def count_again(connection: Connection, household_ids: pl.Series) -> None:
    """Count the facts of these households again, after their people or benefits changed."""
    ids = household_ids.drop_nulls().unique()
    if ids.is_empty():
        return
    connection.execute(
        text(f"UPDATE household SET {_FACTS} WHERE {frames.among(connection, 'id', 'ids')}"),
        {"ids": frames.keys_parameter(connection, ids)},
    )

"""A year's latest questionnaire of each household, as columns, for classifying it again."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import Connection

from ansinh.domain.poverty import deprived_column
from ansinh.store import frames
from ansinh.store.models import SURVEY_INDICATORS

_LATEST = """
    FROM survey AS s
    JOIN (SELECT household_id, MAX(survey_date) AS latest FROM survey WHERE year = :year
          GROUP BY household_id) AS l
      ON l.household_id = s.household_id AND l.latest = s.survey_date
    JOIN household AS h ON h.id = s.household_id
    WHERE s.year = :year"""


def year_questionnaires(
    connection: Connection, year: int, indicators: Sequence[str]
) -> pl.DataFrame:
    """household_id, code, unit_code (commune), members, area, income_per_capita and
    deprived_<key> for each indicator (null where the questionnaire left it unanswered, or
    where the registry has no column for it)."""
    asked = [key for key in indicators if key in SURVEY_INDICATORS]
    columns: dict[str, frames.Column] = {
        "household_id": frames.Small("s.household_id", 31),
        "members": frames.Small("h.members", 15),
        "code": ("h.code", pl.String()),
        "unit_code": ("h.commune_code", pl.String()),
        "area": ("s.area", pl.String()),
        "income_per_capita": ("s.income_per_capita", pl.Int64()),
    }
    # Kept as text so that an unanswered indicator stays null (a Small null reads as 0).
    columns |= {deprived_column(k): (f"s.{deprived_column(k)}", pl.String()) for k in asked}
    found = frames.read_columns(connection, columns, _LATEST, {"year": year})
    return found.with_columns(
        *(pl.col(deprived_column(k)).cast(pl.Int8) for k in asked),
        *(
            pl.lit(None, dtype=pl.Int8).alias(deprived_column(k))
            for k in indicators
            if k not in asked
        ),
    )

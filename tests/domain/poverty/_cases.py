"""The YAML rule cases of cases/*.yaml, and the three classifiers run over the same households."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import yaml
from sqlalchemy import Engine, create_engine, text

from ansinh.domain.poverty import (
    PovertyStandard,
    classification_sql,
    classify_frame,
    deprived_column,
    load_standard,
    normalize_area,
)

CASES_DIR = Path(__file__).parent / "cases"
FIXTURES = Path(__file__).parent / "fixtures"
_CASE_KEYS = {"name", "standard", "citation", "household", "expected"}
_HOUSEHOLD_KEYS = {"area", "income_per_capita", "deprived"}
_EXPECTED_KEYS = {"status", "deprivation_count"}
RESULTS = ("status", "deprivation_count", "deprived", "mpi_score", "mpi_poor")


@dataclass(frozen=True)
class Household:
    """One household as the classifiers take it: area already normalised to 'rural'/'urban'."""

    area: str
    income_per_capita: int
    deprived: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One OpenFisca-style rule test: a literal household, its standard, expectation and law."""

    file: str
    name: str
    standard: str
    citation: str
    area_as_written: str
    household: Household
    status: str
    deprivation_count: int

    @property
    def id(self) -> str:
        return f"{self.file}: {self.name}"


def _exact_keys(raw: Any, keys: set[str], where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != keys:
        found = sorted(raw) if isinstance(raw, dict) else raw
        raise ValueError(f"{where}: expected exactly the keys {sorted(keys)}, got {found}")
    return raw


def _case(raw: Any, file: str, index: int) -> Case:
    where = f"{file}[{index}]"
    case = _exact_keys(raw, _CASE_KEYS, where)
    house = _exact_keys(case["household"], _HOUSEHOLD_KEYS, f"{where}.household")
    expected = _exact_keys(case["expected"], _EXPECTED_KEYS, f"{where}.expected")
    area = normalize_area(house["area"])
    if area is None:
        raise ValueError(f"{where}: unknown area {house['area']!r}")
    if not str(case["citation"]).strip():
        raise ValueError(f"{where}: every case cites its decree")
    return Case(
        file=file,
        name=str(case["name"]),
        standard=str(case["standard"]),
        citation=str(case["citation"]),
        area_as_written=str(house["area"]),
        household=Household(area, int(house["income_per_capita"]), tuple(house["deprived"])),
        status=str(expected["status"]),
        deprivation_count=int(expected["deprivation_count"]),
    )


def load_cases() -> list[Case]:
    """Every case of every cases/*.yaml, checked for stray or missing keys."""
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"{path.name}: must be a non-empty list of cases")
        cases.extend(_case(item, path.name, i) for i, item in enumerate(raw))
    return cases


def households_frame(standard: PovertyStandard, households: Sequence[Household]) -> pl.DataFrame:
    """The input columns the frame and SQL classifiers read: row i is households[i]."""
    columns: dict[str, list[Any]] = {
        "case_row": list(range(len(households))),
        "area": [h.area for h in households],
        "income_per_capita": [h.income_per_capita for h in households],
    }
    for key in standard.indicators:
        columns[deprived_column(key)] = [int(key in h.deprived) for h in households]
    schema = {name: pl.Int64 for name in columns} | {"area": pl.String}
    return pl.DataFrame(columns, schema=schema)


def by_frame(standard: PovertyStandard, households: Sequence[Household]) -> list[dict[str, Any]]:
    """classify_frame's results, one dict per household, in order."""
    result = classify_frame(households_frame(standard, households), standard)
    rows: list[dict[str, Any]] = result.sort("case_row").select("case_row", *RESULTS).to_dicts()
    return rows


def memory_sqlite() -> Engine:
    """A fresh in-memory SQLite database."""
    return create_engine("sqlite://")


def by_sql(
    engine: Engine,
    standard: PovertyStandard,
    households: Sequence[Household],
    table: str = "households_under_test",
) -> list[dict[str, Any]]:
    """classification_sql run inside a database through SQLAlchemy, one dict per household."""
    frame = households_frame(standard, households)
    columns = ", ".join(
        f"{name} {'VARCHAR(20)' if name == 'area' else 'BIGINT'}" for name in frame.columns
    )
    sql = classification_sql(standard)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
        connection.execute(text(f"CREATE TABLE {table} ({columns})"))
        placeholders = ", ".join(f":{name}" for name in frame.columns)
        connection.execute(text(f"INSERT INTO {table} VALUES ({placeholders})"), frame.to_dicts())
        query = sql.select(table, ("case_row",)) + " ORDER BY case_row"
        rows = [dict(r._mapping) for r in connection.execute(text(query))]
        connection.execute(text(f"DROP TABLE {table}"))
    return rows


def by_duckdb(standard: PovertyStandard, households: Sequence[Household]) -> list[dict[str, Any]]:
    """classification_sql run in an in-memory DuckDB over the same frame."""
    households_under_test = households_frame(standard, households).to_arrow()
    sql = classification_sql(standard).select("households_under_test", ("case_row",))
    with duckdb.connect() as connection:
        connection.register("households_under_test", households_under_test)
        cursor = connection.execute(sql + " ORDER BY case_row")
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def standard_of(case: Case) -> PovertyStandard:
    return load_standard(case.standard)

"""The YAML rule cases (cases/*.yaml): each classifier gives the status the decree gives.

classify_household (the reference), classify_frame (Polars) and classification_sql (SQLite through
SQLAlchemy, and DuckDB) must agree on every case, each citing Decree 07/2021/ND-CP Art. 3 or
Decree 351/2025/ND-CP.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from itertools import groupby

import polars as pl
import pytest
from sqlalchemy import create_engine, text
from tests.domain.poverty._cases import (
    Case,
    Household,
    by_duckdb,
    by_frame,
    by_sql,
    households_frame,
    load_cases,
    memory_sqlite,
    standard_of,
)

from ansinh.domain.poverty import (
    classification_sql,
    classify_frame,
    classify_household,
    deprived_in,
    load_standard,
)

POSTGRES_URL = os.environ.get(
    "ANSINH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
CASES = load_cases()
BY_STANDARD = {
    name: list(group)
    for name, group in groupby(sorted(CASES, key=lambda c: c.standard), key=lambda c: c.standard)
}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_classify_household_gives_the_status_the_decree_gives(case: Case) -> None:
    house = case.household
    result = classify_household(
        standard_of(case), house.area, house.income_per_capita, house.deprived
    )
    assert (result.status, result.deprivation_count) == (case.status, case.deprivation_count), (
        case.citation
    )
    assert result.standard == case.standard


@pytest.mark.parametrize("standard_id", sorted(BY_STANDARD))
def test_frame_and_sql_agree_with_the_reference_on_every_case(standard_id: str) -> None:
    standard = load_standard(standard_id)
    cases = BY_STANDARD[standard_id]
    households = [c.household for c in cases]
    expected = [
        classify_household(standard, h.area, h.income_per_capita, h.deprived) for h in households
    ]
    frame = by_frame(standard, households)
    sqlite = by_sql(memory_sqlite(), standard, households)
    duck = by_duckdb(standard, households)
    for case, reference, f, s, d in zip(cases, expected, frame, sqlite, duck, strict=True):
        want = (case.status, case.deprivation_count)
        assert (reference.status, reference.deprivation_count) == want, case.id
        assert (f["status"], f["deprivation_count"]) == want, f"frame: {case.id}"
        assert (s["status"], s["deprivation_count"]) == want, f"sqlite: {case.id}"
        assert (d["status"], d["deprivation_count"]) == want, f"duckdb: {case.id}"
        assert f["deprived"] == ";".join(reference.deprived), case.id
        assert f["mpi_poor"] == s["mpi_poor"] == d["mpi_poor"], case.id
        assert deprived_in(standard, s["deprivations"]) == reference.deprived, case.id
        assert d["deprivations"] == s["deprivations"], case.id
        assert f["mpi_score"] == pytest.approx(s["mpi_score"], abs=1e-12), case.id
        assert f["mpi_score"] == pytest.approx(d["mpi_score"], abs=1e-12), case.id


def test_the_cases_cover_every_shipped_standard_status_and_area() -> None:
    assert set(BY_STANDARD) == {"vn-2022-2025", "vn-2027-2030", "lao-cai-local-2025"}
    for standard_id, cases in BY_STANDARD.items():
        assert {c.status for c in cases} == {"poor", "near_poor", "average", "none"}, standard_id
        assert {c.household.area for c in cases} == {"rural", "urban"}, standard_id
    assert {"nông thôn", "thành thị"} <= {c.area_as_written for c in CASES}
    assert len({c.id for c in CASES}) == len(CASES), "case names must be unique within a file"


def test_every_case_cites_the_decree_it_checks() -> None:
    cited = Counter(
        "07/2021" if "07/2021/ND-CP" in c.citation else "351/2025"
        for c in CASES
        if "Decree" in c.citation
    )
    assert cited["07/2021"] > 0
    assert cited["351/2025"] > 0
    assert all("351/2025" in c.citation for c in CASES if c.standard == "vn-2027-2030"), (
        "every 2027–2030 case cites Decree 351/2025/ND-CP"
    )


@pytest.mark.parametrize(
    ("standard_id", "area", "line", "cut"),
    [
        ("vn-2022-2025", "rural", 1_500_000, 2_250_000),
        ("vn-2022-2025", "urban", 2_000_000, 3_000_000),
        ("vn-2027-2030", "rural", 2_200_000, 3_300_000),
        ("vn-2027-2030", "urban", 2_800_000, 4_200_000),
        ("lao-cai-local-2025", "rural", 2_000_000, 3_000_000),
        ("lao-cai-local-2025", "urban", 2_700_000, 4_000_000),
    ],
)
def test_the_cases_sit_on_every_line_and_one_vnd_above(
    standard_id: str, area: str, line: int, cut: int
) -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 1(a), 2(c); Decree 351/2025/ND-CP: each line is tested at
    # the line and 1 VND above, with the deprivation cut-off (3) and one below it at the line.
    incomes = {
        (c.household.income_per_capita, c.deprivation_count)
        for c in BY_STANDARD[standard_id]
        if c.household.area == area
    }
    assert (line, 3) in incomes
    assert (line, 2) in incomes
    assert any(income == line + 1 for income, _ in incomes)
    assert any(income == cut for income, _ in incomes)
    assert any(income == cut + 1 for income, _ in incomes)


@pytest.mark.postgres
@pytest.mark.parametrize("standard_id", sorted(BY_STANDARD))
def test_the_sql_gives_the_same_statuses_in_postgresql(standard_id: str) -> None:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        if os.environ.get("ANSINH_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL does not answer at {POSTGRES_URL}: {error}")
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_URL}")
    standard = load_standard(standard_id)
    cases = BY_STANDARD[standard_id]
    table = f"poverty_cases_{uuid.uuid4().hex[:8]}"
    try:
        rows = by_sql(engine, standard, [c.household for c in cases], table)
    finally:
        engine.dispose()
    for case, row in zip(cases, rows, strict=True):
        assert (row["status"], row["deprivation_count"]) == (
            case.status,
            case.deprivation_count,
        ), case.id


def test_unknown_area_or_missing_income_is_left_unclassified_by_frame_and_sql() -> None:
    # classify_frame / classification_sql: status is NULL, not 'none', where the area is not
    # normalised or the income is missing; a missing deprivation flag counts as 0.
    standard = load_standard("vn-2022-2025")
    frame = households_frame(
        standard,
        [
            Household("nông thôn", 1_000_000, ("water",)),
            Household("rural", 0, ("water",)),
            Household("rural", 1_000_000, ("water", "sanitation", "telecom")),
        ],
    ).with_columns(
        income_per_capita=pl.Series([1_000_000, None, 1_000_000], dtype=pl.Int64),
        deprived_telecom=pl.Series([0, 0, None], dtype=pl.Int64),
    )
    result = classify_frame(frame, standard)
    assert result["status"].to_list() == [None, None, "near_poor"]
    assert result["deprivation_count"].to_list() == [1, 1, 2]
    assert result["deprived"].to_list() == ["water", "water", "water;sanitation"]
    engine = memory_sqlite()
    with engine.begin() as connection:
        columns = ", ".join(frame.columns)
        connection.execute(text(f"CREATE TABLE h ({columns})"))
        values = ", ".join(f":{name}" for name in frame.columns)
        connection.execute(text(f"INSERT INTO h VALUES ({values})"), frame.to_dicts())
        query = classification_sql(standard).select("h", ("case_row",)) + " ORDER BY case_row"
        rows = connection.execute(text(query)).all()
    assert [(r.status, r.deprivation_count) for r in rows] == [
        (None, 1),
        (None, 1),
        ("near_poor", 2),
    ]


def test_frame_refuses_a_table_without_the_standard_s_columns() -> None:
    standard = load_standard("vn-2027-2030")
    frame = households_frame(load_standard("vn-2022-2025"), [Household("rural", 0, ())])
    with pytest.raises(ValueError, match="deprived_waste"):
        classify_frame(frame, standard)

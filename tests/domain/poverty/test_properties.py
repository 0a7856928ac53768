"""Properties of every shipped standard, along the engine's severity order (poor > … > none)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.domain.poverty._cases import Household, by_duckdb, by_frame, by_sql, memory_sqlite

from ansinh.domain.poverty import (
    STATUSES,
    PovertyStandard,
    alkire_foster,
    classify_household,
    list_standards,
    severity,
)

STANDARDS = list_standards()
# Incomes around every line of every standard, and anywhere up to 10 million VND.
LINES = sorted(
    {v for s in STANDARDS for line in s.income_lines.values() for v in line.values.values()}
)
INCOMES = st.one_of(
    st.integers(0, 10_000_000),
    st.sampled_from(LINES).flatmap(lambda v: st.integers(max(v - 2, 0), v + 2)),
)


@st.composite
def households(draw: st.DrawFn, standard: PovertyStandard) -> Household:
    keys = standard.indicators
    deprived = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    area = draw(st.sampled_from(("rural", "urban")))
    return Household(area, draw(INCOMES), tuple(deprived))


def status_of(standard: PovertyStandard, house: Household) -> str:
    status: str = classify_household(
        standard, house.area, house.income_per_capita, house.deprived
    ).status
    return status


def test_severity_orders_the_statuses() -> None:
    assert [severity(s) for s in STATUSES] == [3, 2, 1, 0]
    assert severity("poor") > severity("near_poor") > severity("average") > severity("none")


@given(data=st.data(), standard=st.sampled_from(STANDARDS))
def test_one_more_deprivation_never_makes_a_household_less_poor(
    data: st.DataObject, standard: PovertyStandard
) -> None:
    house = data.draw(households(standard))
    missing = [k for k in standard.indicators if k not in house.deprived]
    if not missing:
        return
    extra = data.draw(st.sampled_from(missing))
    worse = Household(house.area, house.income_per_capita, (*house.deprived, extra))
    assert severity(status_of(standard, worse)) >= severity(status_of(standard, house))


@given(data=st.data(), standard=st.sampled_from(STANDARDS), raise_by=st.integers(0, 3_000_000))
def test_a_higher_income_never_makes_a_household_poorer(
    data: st.DataObject, standard: PovertyStandard, raise_by: int
) -> None:
    house = data.draw(households(standard))
    richer = Household(house.area, house.income_per_capita + raise_by, house.deprived)
    assert severity(status_of(standard, richer)) <= severity(status_of(standard, house))


@given(data=st.data(), standard=st.sampled_from(STANDARDS))
def test_above_the_poverty_line_never_poor_nor_near_poor(
    data: st.DataObject, standard: PovertyStandard
) -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 2: poor and near-poor both need income ≤ the line.
    house = data.draw(households(standard))
    line = standard.lines_for(house.area)["poverty"]
    status = status_of(standard, house)
    if house.income_per_capita > line:
        assert status in ("average", "none")
    else:
        assert status == ("poor" if len(house.deprived) >= 3 else "near_poor")


@given(data=st.data(), standard=st.sampled_from(STANDARDS))
def test_the_status_does_not_depend_on_the_order_of_the_deprivations(
    data: st.DataObject, standard: PovertyStandard
) -> None:
    house = data.draw(households(standard))
    shuffled = data.draw(st.permutations(house.deprived))
    again = Household(house.area, house.income_per_capita, tuple(shuffled))
    assert status_of(standard, again) == status_of(standard, house)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), standard=st.sampled_from(STANDARDS))
def test_frame_and_sql_agree_with_the_reference_on_random_households(
    data: st.DataObject, standard: PovertyStandard
) -> None:
    batch = data.draw(st.lists(households(standard), min_size=1, max_size=25))
    expected = [
        classify_household(standard, h.area, h.income_per_capita, h.deprived) for h in batch
    ]
    frame = by_frame(standard, batch)
    sqlite = by_sql(memory_sqlite(), standard, batch)
    duck = by_duckdb(standard, batch)
    keys = list(standard.indicators)
    matrix = np.array([[int(k in h.deprived) for k in keys] for h in batch])
    weights = np.array([standard.indicator_weights[k] for k in keys])
    measures = alkire_foster(matrix, standard.indicator_weights, standard.mpi_k)
    assert sum(r["mpi_poor"] for r in frame) / len(batch) == measures.H
    for ref, f, s, d, score in zip(expected, frame, sqlite, duck, matrix @ weights, strict=True):
        assert f["status"] == s["status"] == d["status"] == ref.status
        count = ref.deprivation_count
        assert f["deprivation_count"] == s["deprivation_count"] == d["deprivation_count"] == count
        assert f["deprived"] == ";".join(ref.deprived)
        assert f["mpi_poor"] == s["mpi_poor"] == d["mpi_poor"]
        assert abs(f["mpi_score"] - s["mpi_score"]) < 1e-12
        assert abs(f["mpi_score"] - d["mpi_score"]) < 1e-12
        assert abs(f["mpi_score"] - score) < 1e-12
        if set(standard.indicator_weights.values()) == {1 / 12}:
            # 12 indicators weighted 1/12 and k = 3/12: the MPI test is the decree's "3 or more".
            assert f["mpi_poor"] == int(count >= 3)

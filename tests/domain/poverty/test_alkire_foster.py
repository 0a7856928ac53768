"""The Alkire–Foster measures: a published example, the decompositions, unit weights and k."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt
import polars as pl
import pytest
from tests.domain.poverty._cases import (
    FIXTURES,
    Household,
    by_duckdb,
    by_frame,
    by_sql,
    memory_sqlite,
)

from ansinh.domain.poverty import (
    AFSums,
    af_sums,
    alkire_foster,
    classify_frame,
    deprived_column,
    load_standard,
    load_standard_text,
    measures_from_sums,
    parse_k,
)

# Alkire, S. and Foster, J. (2011), "Counting and multidimensional poverty measurement", Journal of
# Public Economics 95(7–8), 476–487, section 2 (and OPHI Working Paper 32, 2009): four persons,
# four dimensions (income, years of education, self-reported health, membership in a political
# party); a person is deprived where the achievement is below the cut-off z.
ACHIEVEMENTS = np.array(
    [
        [13.1, 14, 4, 1],
        [15.2, 7, 5, 0],
        [12.5, 10, 1, 0],
        [20, 11, 3, 1],
    ]
)
CUTOFFS = np.array([13, 12, 3, 1])
# The paper's deprivation matrix g0, and its deprivation counts c = (0, 2, 4, 1).
G0 = [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [0, 1, 0, 0]]
EQUAL = {"income": 0.25, "education": 0.25, "health": 0.25, "party": 0.25}


def deprivations() -> npt.NDArray[np.float64]:
    return (ACHIEVEMENTS < CUTOFFS).astype(np.float64)


def test_the_published_example_deprivation_matrix() -> None:
    assert deprivations().tolist() == G0
    assert deprivations().sum(axis=1).tolist() == [0, 2, 4, 1]


def test_the_published_example_with_k_2_of_4() -> None:
    # Alkire & Foster (2011): with k = 2 dimensions (a share of 1/2 under equal weights) persons 2
    # and 3 are poor: H = 2/4, A = (2 + 4)/(2 × 4) = 3/4, M0 = H × A = 6/16.
    result = alkire_foster(deprivations(), EQUAL, k=0.5)
    assert (result.n, result.H, result.A, result.M0) == (4, 0.5, 0.75, 0.375)
    # Censored headcounts: the poor's deprivations only (person 4's education is censored).
    assert result.censored_headcount == {
        "income": 0.25,
        "education": 0.5,
        "health": 0.25,
        "party": 0.5,
    }
    assert result.contribution == pytest.approx(
        {"income": 1 / 6, "education": 1 / 3, "health": 1 / 6, "party": 1 / 3}, abs=1e-15
    )


@pytest.mark.parametrize(
    ("k", "headcount", "intensity", "m0"),
    [
        (0.25, 3 / 4, 7 / 12, 7 / 16),  # union: anyone deprived in one dimension
        (0.5, 1 / 2, 3 / 4, 6 / 16),
        (0.75, 1 / 4, 1.0, 4 / 16),
        (1.0, 1 / 4, 1.0, 4 / 16),  # intersection: deprived in all four
    ],
)
def test_the_published_example_across_k(
    k: float, headcount: float, intensity: float, m0: float
) -> None:
    result = alkire_foster(deprivations(), EQUAL, k)
    assert pytest.approx(headcount, abs=1e-15) == result.H
    assert pytest.approx(intensity, abs=1e-15) == result.A
    assert pytest.approx(m0, abs=1e-15) == result.M0
    assert pytest.approx(result.H * result.A, abs=1e-15) == result.M0


def test_censored_headcounts_weighted_sum_to_m0_and_contributions_to_one() -> None:
    weights = {"a": 0.5, "b": 0.25, "c": 0.125, "d": 0.125}
    rng = np.random.default_rng(20251230)
    g = rng.integers(0, 2, size=(200, 4))
    result = alkire_foster(g, weights, k=0.3, unit_weights=rng.integers(1, 9, size=200))
    assert result.M0 > 0
    weighted = sum(weights[j] * h for j, h in result.censored_headcount.items())
    assert weighted == pytest.approx(result.M0, abs=1e-12)
    assert sum(result.contribution.values()) == pytest.approx(1.0, abs=1e-12)


def test_household_size_weights_equal_repeating_each_household() -> None:
    # domain/poverty.md: w_i is the household size when the measures are over people.
    g = deprivations()
    sizes = np.array([5, 1, 2, 3])
    weighted = alkire_foster(g, EQUAL, 0.5, unit_weights=sizes)
    repeated = alkire_foster(np.repeat(g, sizes, axis=0), EQUAL, 0.5)
    # Persons 2 and 3 are poor: 1 + 2 of 11 people.
    assert pytest.approx(3 / 11, abs=1e-15) == weighted.H
    assert pytest.approx((1 * 0.5 + 2 * 1.0) / 3, abs=1e-15) == weighted.A
    for name in ("H", "A", "M0"):
        assert getattr(weighted, name) == pytest.approx(getattr(repeated, name), abs=1e-15)
    assert weighted.censored_headcount == pytest.approx(repeated.censored_headcount, abs=1e-15)
    assert (weighted.n, weighted.total_weight, weighted.poor_weight) == (4, 11.0, 3.0)
    assert repeated.n == 11


def test_sums_of_communes_add_up_to_the_province() -> None:
    rng = np.random.default_rng(7)
    g = rng.integers(0, 2, size=(60, 4))
    sizes = rng.integers(1, 7, size=60)
    whole = alkire_foster(g, EQUAL, 0.5, sizes)
    parts = AFSums.zero(EQUAL, 0.5)
    for rows in np.array_split(np.arange(60), 3):
        parts = parts + af_sums(g[rows], EQUAL, 0.5, sizes[rows])
    rolled = measures_from_sums(parts, EQUAL, 0.5)
    assert rolled.n == whole.n
    for name in ("H", "A", "M0"):
        assert getattr(rolled, name) == pytest.approx(getattr(whole, name), abs=1e-12)
    with pytest.raises(ValueError, match="different k"):
        af_sums(g, EQUAL, 0.5) + af_sums(g, EQUAL, 0.25)
    with pytest.raises(ValueError, match="k differs"):
        measures_from_sums(parts, EQUAL, 0.25)


def test_nobody_poor_gives_zeros_not_a_division_by_zero() -> None:
    result = alkire_foster([[0, 0, 0, 0], [1, 0, 0, 0]], EQUAL, k=0.5)
    assert (result.H, result.A, result.M0) == (0.0, 0.0, 0.0)
    assert set(result.contribution.values()) == {0.0}
    empty = alkire_foster(np.zeros((0, 4)), EQUAL, k=0.5)
    assert (empty.n, empty.H, empty.M0) == (0, 0.0, 0.0)


def test_six_of_twelve_is_exactly_at_one_half_despite_floating_point() -> None:
    # domain/poverty.md: c_i ≥ k is compared with a tolerance of 1e-9.
    twelfths = {f"i{j}": 1 / 12 for j in range(12)}
    row = [1] * 6 + [0] * 6
    assert float(np.array(row) @ np.array(list(twelfths.values()))) < 0.5  # 0.49999999999999994
    assert alkire_foster([row], twelfths, k=0.5).H == 1.0


def test_four_of_twelve_is_poor_at_k_one_third_written_either_way() -> None:
    # 4 × 1/12 is exactly at k = 1/3; k = 0.3333 is just below it.
    twelfths = {f"i{j}": 1 / 12 for j in range(12)}
    four = [1] * 4 + [0] * 8
    three = [1] * 3 + [0] * 9
    for written in ("1/3", "0.3333", 0.3333):
        k = parse_k(written)
        assert k is not None
        result = alkire_foster([four, three], twelfths, k=float(k))
        assert result.H == 0.5, written
        assert pytest.approx(1 / 3, abs=1e-15) == result.A


def test_the_tolerance_is_1e_9_not_the_gap_between_0_3333_and_one_third() -> None:
    # A score of 0.3333 is poor at k = 0.3333 but not at k = 1/3: 1/3 − 0.3333 ≈ 3.3e-5 ≫ 1e-9.
    weights = {"a": 0.3333, "b": 0.6667}
    at_decimal = parse_k("0.3333")
    at_fraction = parse_k("1/3")
    assert at_decimal is not None and at_fraction is not None
    assert alkire_foster([[1, 0]], weights, k=float(at_decimal)).H == 1.0
    assert alkire_foster([[1, 0]], weights, k=float(at_fraction)).H == 0.0
    # Just inside the tolerance still counts, just outside does not.
    assert alkire_foster([[1, 0]], {"a": 0.25 - 5e-10, "b": 0.75 + 5e-10}, 0.25).H == 1.0
    assert alkire_foster([[1, 0]], {"a": 0.25 - 5e-9, "b": 0.75 + 5e-9}, 0.25).H == 0.0


@pytest.mark.parametrize(
    ("matrix", "weights", "k", "unit_weights", "message"),
    [
        ([[1, 0, 0, 0]], {"a": 0.5, "b": 0.4, "c": 0.05, "d": 0.0}, 0.5, None, "sum to 1"),
        ([[1, 0, 0, 0]], EQUAL, 0.0, None, "k must be"),
        ([[1, 0, 0, 0]], EQUAL, 1.5, None, "k must be"),
        ([[2, 0, 0, 0]], EQUAL, 0.5, None, "0 or 1"),
        ([[1, 0, 0]], EQUAL, 0.5, None, "matrix"),
        ([[1, 0, 0, 0]], EQUAL, 0.5, [-1], "unit weights"),
        ([[1, 0, 0, 0]], EQUAL, 0.5, [1, 2], "unit weights"),
    ],
)
def test_bad_input_is_refused(
    matrix: list[list[int]],
    weights: dict[str, float],
    k: float,
    unit_weights: list[int] | None,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        alkire_foster(matrix, weights, k, unit_weights)


def test_a_standard_s_mpi_score_agrees_across_frame_sql_and_the_measures() -> None:
    # vn-2027-2030 weights dimensions equally and indicators equally within them: 1/12 each, 1/18
    # in the three-indicator water, sanitation and environment dimension; k = 3/12. Employment and
    # the three 1/18 indicators make 1/12 + 3/18 = 1/4 exactly at k.
    standard = load_standard("vn-2027-2030")
    k = parse_k("3/12")
    assert k is not None and standard.mpi_k == float(k)
    at_k = ("employment", "water", "sanitation", "waste")
    households = [
        Household("rural", 1_000_000, at_k),
        Household("rural", 1_000_000, at_k[1:]),
        Household("urban", 1_000_000, ("employment", "dependents", "nutrition")),
        Household("urban", 1_000_000, ("employment", "dependents")),
    ]
    frame = classify_frame(
        pl.DataFrame(
            {
                "area": [h.area for h in households],
                "income_per_capita": [h.income_per_capita for h in households],
            }
            | {
                deprived_column(key): [int(key in h.deprived) for h in households]
                for key in standard.indicators
            }
        ),
        standard,
    )
    matrix = [[int(key in h.deprived) for key in standard.indicators] for h in households]
    measures = alkire_foster(matrix, standard.indicator_weights, standard.mpi_k)
    expected = [1, 0, 1, 0]
    assert frame["mpi_poor"].to_list() == expected
    assert [r["mpi_poor"] for r in by_sql(memory_sqlite(), standard, households)] == expected
    assert [r["mpi_poor"] for r in by_duckdb(standard, households)] == expected
    assert measures.H == 0.5
    assert frame["mpi_score"].to_list() == pytest.approx([1 / 4, 1 / 6, 1 / 4, 1 / 6], abs=1e-12)


def test_sql_uses_the_1e_9_tolerance_even_when_weights_and_k_are_exact_fractions() -> None:
    # domain/poverty.md: c_i ≥ k with a tolerance of 1e-9, in every engine. Weights of
    # 333325/999976 and k = 333326/999979 are exact fractions with denominators ≤ 10^6, and the
    # score falls 1.0e-12 short of k: poor within the tolerance, so frame, SQL and the measures
    # must all call the unit poor.
    weight = Fraction(333325, 999976)
    k = Fraction(333326, 999979)
    assert 0 < k - weight < Fraction(1, 10**9)
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    mpi = (
        f"mpi: {{k: {k}, weights: {{nutrition: {float(weight)!r}, "
        f"insurance: {float(1 - weight)!r}}}, references: [ref]}}"
    )
    standard = load_standard_text(
        text.replace("mpi: {k: 1/2, weights: equal, references: [ref]}", mpi), "exact.yaml"
    )
    households = [Household("rural", 0, ("nutrition",)), Household("rural", 0, ())]
    measures = alkire_foster([[1, 0], [0, 0]], standard.indicator_weights, standard.mpi_k)
    assert measures.H == 0.5
    assert [r["mpi_poor"] for r in by_frame(standard, households)] == [1, 0]
    assert [r["mpi_poor"] for r in by_sql(memory_sqlite(), standard, households)] == [1, 0]
    assert [r["mpi_poor"] for r in by_duckdb(standard, households)] == [1, 0]

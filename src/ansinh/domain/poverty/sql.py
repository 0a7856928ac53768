"""A standard's classification as portable SQL text, to run set-based in any database."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from ansinh.domain.poverty.alkire_foster import POOR_TOLERANCE
from ansinh.domain.poverty.standard import AREAS, PovertyStandard, Rule

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Below this common denominator the MPI score is written as exact integer weights over it.
_MAX_DENOMINATOR = 10**6
# A result's deprivations are an INTEGER column: 31 bits, sign left alone.
MAX_INDICATOR_BITS = 31


def deprived_column(key: str) -> str:
    """The 0/1 input column of an indicator: 'deprived_<key>'."""
    return f"deprived_{key}"


@dataclass(frozen=True)
class ClassificationSQL:
    """SQL expressions over columns area, income_per_capita and deprived_<key> (NULL counts 0).

    Only CASE, COALESCE, arithmetic and comparisons, so the same text runs in SQLite,
    PostgreSQL and Polars SQL. `status` is NULL when area is not 'rural'/'urban' or income is
    NULL: such a row has not been classified, it is not 'none'.
    """

    standard: str
    input_columns: tuple[str, ...]
    deprivation_count: str
    status: str
    mpi_score: str
    mpi_poor: str
    # Which indicators the household is deprived in, as one integer: bit i set for the i-th
    # indicator of the standard, so that a result keeps its reasons in one column.
    deprivations: str

    def select(self, table: str, keep: tuple[str, ...] = ()) -> str:
        """A SELECT of the kept columns and the five results from a table."""
        for name in (table, *keep):
            if not _IDENTIFIER.match(name):
                raise ValueError(f"not a plain SQL identifier: {name!r}")
        columns = [
            *keep,
            f"{self.deprivation_count} AS deprivation_count",
            f"{self.status} AS status",
            f"{self.mpi_score} AS mpi_score",
            f"{self.mpi_poor} AS mpi_poor",
            f"{self.deprivations} AS deprivations",
        ]
        return "SELECT " + ",\n  ".join(columns) + f"\nFROM {table}"


def classification_sql(standard: PovertyStandard) -> ClassificationSQL:
    """Generate the expressions from the standard's indicators, lines and ordered rules."""
    count = _count(standard)
    score, poor = _score(standard)
    return ClassificationSQL(
        standard=standard.id,
        input_columns=("area", "income_per_capita", *map(deprived_column, standard.indicators)),
        deprivation_count=count,
        status=_status(standard, count),
        mpi_score=score,
        mpi_poor=f"CASE WHEN {poor} THEN 1 ELSE 0 END",
        deprivations=_bits(standard),
    )


def _count(standard: PovertyStandard) -> str:
    terms = (f"COALESCE({deprived_column(key)}, 0)" for key in standard.indicators)
    return "(" + " + ".join(terms) + ")"


def deprived_in(standard: PovertyStandard, deprivations: int) -> tuple[str, ...]:
    """The indicators whose bits are set in a result's `deprivations`, in the standard's order."""
    return tuple(key for i, key in enumerate(standard.indicators) if deprivations >> i & 1)


def _bits(standard: PovertyStandard) -> str:
    if len(standard.indicators) > MAX_INDICATOR_BITS:
        raise ValueError(
            f"{standard.id}: {len(standard.indicators)} indicators, "
            f"more than the {MAX_INDICATOR_BITS} bits of a result's deprivations"
        )
    # A sum of powers of two: the same integer as OR-ing bits, in every SQL dialect.
    terms = (
        f"{2**i} * COALESCE({deprived_column(key)}, 0)" for i, key in enumerate(standard.indicators)
    )
    return "(" + " + ".join(terms) + ")"


def _status(standard: PovertyStandard, count: str) -> str:
    areas = ", ".join(f"'{area}'" for area in AREAS)
    whens = [
        f"WHEN area IS NULL OR area NOT IN ({areas}) OR income_per_capita IS NULL THEN NULL",
        *(
            f"WHEN {_conditions(standard, rule, count)} THEN '{rule.status}'"
            for rule in standard.rules[:-1]
        ),
    ]
    return "CASE " + " ".join(whens) + f" ELSE '{standard.rules[-1].status}' END"


def _conditions(standard: PovertyStandard, rule: Rule, count: str) -> str:
    parts = []
    if rule.income_at_most is not None:
        parts.append(f"income_per_capita <= {_line(standard, rule.income_at_most)}")
    if rule.income_above is not None:
        parts.append(f"income_per_capita > {_line(standard, rule.income_above)}")
    if rule.deprivations_at_least is not None:
        parts.append(f"{count} >= {rule.deprivations_at_least}")
    if rule.deprivations_below is not None:
        parts.append(f"{count} < {rule.deprivations_below}")
    return " AND ".join(parts)


def _line(standard: PovertyStandard, name: str) -> str:
    values = standard.income_lines[name].values
    whens = " ".join(f"WHEN '{area}' THEN {values[area]}" for area in AREAS)
    return f"(CASE area {whens} END)"


def _score(standard: PovertyStandard) -> tuple[str, str]:
    """Σ v_j g_ij as a float, and the test c_i ≥ k.

    With rational weights (the shipped ones) the score is an integer sum over a common
    denominator, so the poverty test is exact integer arithmetic. That is the same test as
    c_i ≥ k − 1e-9 only while a score below k is always more than the tolerance below it, i.e.
    denominator × k's denominator < 1e9; otherwise the float test with the tolerance is used.
    Float literals are written with an exponent: Polars SQL reads a plain 0.25 as a decimal of
    limited scale.
    """
    weights = standard.indicator_weights
    fractions = {key: Fraction(w).limit_denominator(_MAX_DENOMINATOR) for key, w in weights.items()}
    exact = all(abs(float(fractions[key]) - w) < 1e-15 for key, w in weights.items())
    denominator = math.lcm(*(f.denominator for f in fractions.values())) if fractions else 1
    k = Fraction(standard.mpi_k).limit_denominator(_MAX_DENOMINATOR)
    exact_k = abs(float(k) - standard.mpi_k) < 1e-15
    beyond_tolerance = denominator * k.denominator * POOR_TOLERANCE < 1
    if exact and denominator <= _MAX_DENOMINATOR and exact_k and beyond_tolerance:
        terms = " + ".join(
            f"{fractions[key].numerator * (denominator // fractions[key].denominator)}"
            f" * COALESCE({deprived_column(key)}, 0)"
            for key in standard.indicators
        )
        score = f"(CAST(({terms}) AS DOUBLE PRECISION) / {denominator})"
        poor = f"({terms}) * {k.denominator} >= {k.numerator * denominator}"
        return score, poor
    terms = " + ".join(
        f"{weights[key]:.17e} * COALESCE({deprived_column(key)}, 0)" for key in standard.indicators
    )
    return f"({terms})", f"({terms}) >= {standard.mpi_k - POOR_TOLERANCE:.17e}"

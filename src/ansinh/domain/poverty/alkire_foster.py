"""The Alkire–Foster measures (H, A, M0, censored headcounts), computed through additive sums."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# A unit is poor when c_i ≥ k − 1e-9: 4 × 1/12 is not exactly 1/3 in floating point.
POOR_TOLERANCE = 1e-9
WEIGHT_TOLERANCE = 1e-9
# Two sums may be added only if computed with the same k (and weights) within this margin.
_SAME = 1e-12


@dataclass(frozen=True)
class MPIResult:
    """The measures of one population; contributions sum to 1 unless M0 is 0 (then all 0)."""

    n: int
    k: float
    H: float
    A: float
    M0: float
    censored_headcount: Mapping[str, float]
    contribution: Mapping[str, float]
    total_weight: float
    poor_weight: float

    def as_dict(self) -> dict[str, Any]:
        """The SUMMARY.json object of `ansinh mpi`."""
        return {
            "n": self.n,
            "k": self.k,
            "H": self.H,
            "A": self.A,
            "M0": self.M0,
            "censored_headcount": dict(self.censored_headcount),
            "contribution": dict(self.contribution),
        }


@dataclass(frozen=True)
class AFSums:
    """What the measures are made of, additive across units: commune sums add up to a province.

    poor_weighted_deprived[j] is Σ_{poor} w_i g_ij, in the order of `indicators`.
    """

    indicators: tuple[str, ...]
    weights: tuple[float, ...]
    k: float
    n: int
    total_weight: float
    poor_weight: float
    poor_weighted_score: float
    poor_weighted_deprived: tuple[float, ...]

    def __add__(self, other: AFSums) -> AFSums:
        if not isinstance(other, AFSums):
            return NotImplemented
        if other.indicators != self.indicators or not _close(other.weights, self.weights):
            raise ValueError("cannot add sums over different indicators or weights")
        if abs(other.k - self.k) > _SAME:
            raise ValueError("cannot add sums computed with different k")
        return AFSums(
            indicators=self.indicators,
            weights=self.weights,
            k=self.k,
            n=self.n + other.n,
            total_weight=self.total_weight + other.total_weight,
            poor_weight=self.poor_weight + other.poor_weight,
            poor_weighted_score=self.poor_weighted_score + other.poor_weighted_score,
            poor_weighted_deprived=tuple(
                a + b
                for a, b in zip(
                    self.poor_weighted_deprived, other.poor_weighted_deprived, strict=True
                )
            ),
        )

    @classmethod
    def zero(cls, weights: Mapping[str, float], k: float) -> AFSums:
        """The sums of an empty population, to start a roll-up."""
        return cls(
            tuple(weights),
            tuple(weights.values()),
            float(k),
            0,
            0.0,
            0.0,
            0.0,
            (0.0,) * len(weights),
        )


def af_sums(
    deprivations: npt.ArrayLike,
    weights: Mapping[str, float],
    k: float,
    unit_weights: npt.ArrayLike | None = None,
) -> AFSums:
    """The sums of one population; columns of `deprivations` follow the order of `weights`."""
    g = _matrix(deprivations, len(weights))
    v = _indicator_weights(weights)
    _check_k(k)
    w = _unit_weights(unit_weights, g.shape[0])
    score = g @ v
    poor = score >= k - POOR_TOLERANCE
    poor_w = w * poor
    return AFSums(
        indicators=tuple(weights),
        weights=tuple(float(x) for x in v),
        k=float(k),
        n=int(g.shape[0]),
        total_weight=float(w.sum()),
        poor_weight=float(poor_w.sum()),
        poor_weighted_score=float(poor_w @ score),
        poor_weighted_deprived=tuple(float(x) for x in poor_w @ g),
    )


def measures_from_sums(sums: AFSums, weights: Mapping[str, float], k: float) -> MPIResult:
    """H, A, M0, h_j and contributions from sums; 0 (not a division by zero) when nobody is poor."""
    if tuple(weights) != sums.indicators or not _close(tuple(weights.values()), sums.weights):
        raise ValueError("weights differ from those the sums were computed with")
    if abs(float(k) - sums.k) > _SAME:
        raise ValueError("k differs from the one the sums were computed with")
    total = sums.total_weight
    headcount = sums.poor_weight / total if total > 0 else 0.0
    intensity = sums.poor_weighted_score / sums.poor_weight if sums.poor_weight > 0 else 0.0
    m0 = sums.poor_weighted_score / total if total > 0 else 0.0
    censored = {
        key: (value / total if total > 0 else 0.0)
        for key, value in zip(sums.indicators, sums.poor_weighted_deprived, strict=True)
    }
    contribution = {
        key: (weights[key] * censored[key] / m0 if m0 > 0 else 0.0) for key in sums.indicators
    }
    return MPIResult(
        n=sums.n,
        k=float(k),
        H=headcount,
        A=intensity,
        M0=m0,
        censored_headcount=censored,
        contribution=contribution,
        total_weight=total,
        poor_weight=sums.poor_weight,
    )


def alkire_foster(
    deprivations: npt.ArrayLike,
    weights: Mapping[str, float],
    k: float,
    unit_weights: npt.ArrayLike | None = None,
) -> MPIResult:
    """The Alkire–Foster measures of a 0/1 matrix (units × indicators, in the order of weights)."""
    return measures_from_sums(af_sums(deprivations, weights, k, unit_weights), weights, k)


def _matrix(deprivations: npt.ArrayLike, width: int) -> npt.NDArray[np.float64]:
    g = np.asarray(deprivations, dtype=np.float64)
    if g.ndim == 1 and g.size == 0:
        g = g.reshape(0, width)
    if g.ndim != 2 or g.shape[1] != width:
        raise ValueError(f"deprivations must be a units × {width} matrix, got shape {g.shape}")
    if not np.isin(g, (0.0, 1.0)).all():
        raise ValueError("deprivations must be 0 or 1")
    return g


def _indicator_weights(weights: Mapping[str, float]) -> npt.NDArray[np.float64]:
    v = np.asarray(list(weights.values()), dtype=np.float64)
    if v.size == 0 or (v < 0).any() or not np.isfinite(v).all():
        raise ValueError("indicator weights must be finite numbers ≥ 0")
    if abs(v.sum() - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError(
            f"indicator weights must sum to 1 (within {WEIGHT_TOLERANCE}), not {v.sum()}"
        )
    return v


def _unit_weights(unit_weights: npt.ArrayLike | None, n: int) -> npt.NDArray[np.float64]:
    if unit_weights is None:
        return np.ones(n)
    w = np.asarray(unit_weights, dtype=np.float64)
    if w.shape != (n,) or (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("unit weights must be one finite number ≥ 0 per unit")
    return w


def _check_k(k: float) -> None:
    if not 0 < k <= 1:
        raise ValueError(f"k must be in (0, 1], not {k}")


def _close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= _SAME for x, y in zip(a, b, strict=True))

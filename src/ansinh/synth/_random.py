"""Independent random streams per generation step, all derived from the one seed."""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt


def stream(seed: int, step: str) -> np.random.Generator:
    """A generator for one step: changing how one step draws leaves the others unchanged."""
    # crc32, not hash(): Python salts str hashes per process, which would break determinism.
    return np.random.default_rng([seed, zlib.crc32(step.encode("utf-8"))])


def weighted_choice(
    rng: np.random.Generator, weights: npt.ArrayLike, size: int
) -> npt.NDArray[np.int64]:
    """Indices drawn with probability proportional to `weights`."""
    w = np.asarray(weights, dtype=np.float64)
    cumulative = np.cumsum(w / w.sum())
    cumulative[-1] = 1.0
    picks = np.searchsorted(cumulative, rng.random(size), side="right")
    return picks.astype(np.int64)

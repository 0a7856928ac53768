"""The province's real communes, the profile each gets, and synthetic villages below them."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
import vietnam_provinces

from ansinh.synth._data import load

# About 150 households make a village (thôn) or urban residential group (tổ dân phố); the
# two-digit village number caps a commune at 99 of them.
HOUSEHOLDS_PER_VILLAGE = 150
MIN_VILLAGES, MAX_VILLAGES = 3, 99
# Spread of commune sizes around the profile's expected size (lognormal sigma).
SIZE_SIGMA = 0.45


@dataclass(frozen=True)
class Profile:
    """A kind of commune: zone, extremely-disadvantaged flag, size and ethnic mix."""

    name: str
    zone: str
    eba: bool
    size: float
    mix: dict[str, float]


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    urban: bool
    profile: Profile

    @property
    def short_name(self) -> str:
        """The name without its 'Xã'/'Phường'/'Đặc khu' prefix, as lists often write it."""
        for prefix in ("Xã ", "Phường ", "Đặc khu "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    communes: tuple[Commune, ...]


def province(code: str) -> Province:
    """The province with this 2-digit code and its communes, sorted by code."""
    key = int(code)
    found = [p for p in vietnam_provinces.Province.iter_all() if p.code.value == key]
    if not found:
        raise ValueError(f"unknown province code {code!r}")
    info = found[0]
    rows = [r for r in _flat_divisions() if r["province_codename"] == info.codename]
    canonical = f"{key:02d}"
    communes = tuple(
        _commune(canonical, r) for r in sorted(rows, key=lambda r: int(str(r["code"])))
    )
    return Province(code=canonical, name=str(rows[0]["province_name"]), communes=communes)


@functools.cache
def _flat_divisions() -> list[dict[str, object]]:
    with open(vietnam_provinces.FLAT_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        rows: list[dict[str, object]] = json.load(handle)
    return rows


def _commune(province_code: str, row: dict[str, object]) -> Commune:
    code = f"{int(str(row['code'])):05d}"
    name = str(row["name"])
    urban = name.startswith("Phường ")
    config = load("provinces")
    assigned = config["communes"].get(province_code, {}).get(code)
    default = config["default_profiles"]["urban" if urban else "rural"]
    return Commune(code=code, name=name, urban=urban, profile=profile(assigned or default))


@functools.cache
def profile(name: str) -> Profile:
    spec = load("provinces")["profiles"][name]
    mix = {str(k): float(v) for k, v in spec["mix"].items()}
    return Profile(name, str(spec["zone"]), bool(spec["eba"]), float(spec["size"]), mix)


def allocate_households(
    communes: tuple[Commune, ...], households: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Households per commune: lognormal sizes around each profile's expected size."""
    expected = np.array([c.profile.size for c in communes], dtype=np.float64)
    weights = expected * rng.lognormal(0.0, SIZE_SIGMA, size=len(communes))
    counts: npt.NDArray[np.int64] = rng.multinomial(households, weights / weights.sum())
    return counts.astype(np.int64)


def village_counts(households_per_commune: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    per = np.ceil(households_per_commune / HOUSEHOLDS_PER_VILLAGE).astype(np.int64)
    return np.clip(per, MIN_VILLAGES, MAX_VILLAGES)


def villages_frame(communes: tuple[Commune, ...], counts: npt.NDArray[np.int64]) -> pl.DataFrame:
    """One row per village: code 'CCCCC-NN', 'Thôn N' (or 'Tổ dân phố N' in wards), commune."""
    commune_index = np.repeat(np.arange(len(communes)), counts)
    number = np.arange(commune_index.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    codes = pl.Series([c.code for c in communes]).gather(commune_index)
    kinds = pl.Series(["Tổ dân phố" if c.urban else "Thôn" for c in communes]).gather(commune_index)
    numbers = pl.Series(number).cast(pl.String)
    return pl.DataFrame(
        {
            "village_code": codes + "-" + numbers.str.zfill(2),
            "village_name": kinds + " " + numbers,
            "commune_code": codes,
        }
    )

"""Household poverty-exit plans: causes from the review and the registry, measures from a
catalogue tied to the standard's indicators (data/review/exit_plans.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl
import yaml

NO_WORKERS = "no_workers"
INDICATOR_PREFIX = "indicator:"


@dataclass(frozen=True)
class Cause:
    code: str
    name_vi: str
    name_en: str
    references: tuple[str, ...]
    derived_from: str | None = None  # "no_workers" or "indicator:<key>"; None: officer's say
    cannot_exit: bool = False


@dataclass(frozen=True)
class Measure:
    code: str
    name_vi: str
    name_en: str
    indicators: tuple[str, ...]
    causes: tuple[str, ...]
    provider: str
    references: tuple[str, ...]
    needs_labour: bool = False


@dataclass(frozen=True)
class Catalogue:
    causes: tuple[Cause, ...]
    measures: tuple[Measure, ...]
    references: dict[str, str]
    target_years_ahead: int

    def cause(self, code: str) -> Cause:
        return next(c for c in self.causes if c.code == code)

    def measure(self, code: str) -> Measure:
        return next(m for m in self.measures if m.code == code)

    @property
    def cause_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.causes)

    @property
    def measure_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.measures)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    text = resources.files("ansinh.data.review").joinpath("exit_plans.yaml").read_text("utf-8")
    return parse_catalogue(yaml.safe_load(text))


def parse_catalogue(data: dict[str, object]) -> Catalogue:
    """The catalogue, checked: every reference known, every cause a measure names listed."""
    references = {k: v["title"] for k, v in data["references"].items()}  # type: ignore[attr-defined]
    causes = tuple(
        Cause(
            c["code"],
            c["name_vi"],
            c["name_en"],
            tuple(c["references"]),
            c.get("derived_from"),
            bool(c.get("cannot_exit", False)),
        )
        for c in data["causes"]  # type: ignore[attr-defined]
    )
    measures = tuple(
        Measure(
            m["code"],
            m["name_vi"],
            m["name_en"],
            tuple(m["indicators"]),
            tuple(m["causes"]),
            m["provider"],
            tuple(m["references"]),
            bool(m.get("needs_labour", False)),
        )
        for m in data["measures"]  # type: ignore[attr-defined]
    )
    known = {c.code for c in causes}
    items: list[Cause | Measure] = [*causes, *measures]
    for item in items:
        missing = set(item.references) - set(references)
        if missing:
            raise ValueError(f"{item.code}: unknown references {sorted(missing)}")
    for measure in measures:
        if set(measure.causes) - known:
            raise ValueError(
                f"{measure.code}: unknown causes {sorted(set(measure.causes) - known)}"
            )
    return Catalogue(causes, measures, references, int(data["target_years_ahead"]))  # type: ignore[call-overload]


def derived_causes(book: Catalogue, deprived: Iterable[str], workers: int) -> tuple[str, ...]:
    """The causes the registry and the review already show, in the catalogue's order."""
    shown = {INDICATOR_PREFIX + key for key in deprived} | ({NO_WORKERS} if workers == 0 else set())
    return tuple(c.code for c in book.causes if c.derived_from in shown)


def cannot_exit(book: Catalogue, causes: Iterable[str]) -> bool:
    """No member can work: the household is reported apart and gets protection, not a plan."""
    return any(book.cause(code).cannot_exit for code in causes)


def measures_for(
    book: Catalogue, deprived: Iterable[str], causes: Sequence[str]
) -> tuple[str, ...]:
    """The measures answering the household's deprived indicators and its causes."""
    lacking, why = set(deprived), set(causes)
    protection_only = cannot_exit(book, causes)
    return tuple(
        m.code
        for m in book.measures
        if (lacking & set(m.indicators) or why & set(m.causes))
        and not (protection_only and m.needs_labour)
    )


def draft_plans(
    book: Catalogue, households: pl.DataFrame, indicators: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Plans and their measures for many households at once.

    `households`: household_id, workers, deprivations (bit i: the i-th of `indicators`). Gives
    (household_id, causes 'a;b', cannot_exit) and (household_id, measure, indicator): each
    measure once per household, with the first of its indicators the household lacks (null
    when a cause, not an indicator, calls for it). Rule by rule on columns, no row loop.
    """
    bits = {key: (pl.col("deprivations") // 2**i % 2 == 1) for i, key in enumerate(indicators)}
    cause_flags = {}
    for cause in book.causes:
        source = cause.derived_from
        if source == NO_WORKERS:
            cause_flags[cause.code] = pl.col("workers") == 0
        elif source and source.startswith(INDICATOR_PREFIX):
            key = source.removeprefix(INDICATOR_PREFIX)
            cause_flags[cause.code] = bits.get(key, pl.lit(False))
    flagged = households.with_columns(
        *(flag.alias(f"cause_{code}") for code, flag in cause_flags.items()),
    )
    protection = [c.code for c in book.causes if c.cannot_exit and c.code in cause_flags]
    flagged = flagged.with_columns(
        pl.any_horizontal([pl.col(f"cause_{c}") for c in protection] or [pl.lit(False)]).alias(
            "cannot_exit"
        )
    )
    plans = flagged.select(
        "household_id",
        pl.concat_str(
            [pl.when(pl.col(f"cause_{c}")).then(pl.lit(c)) for c in cause_flags] or [pl.lit(None)],
            separator=";",
            ignore_nulls=True,
        ).alias("causes"),
        "cannot_exit",
    )
    parts = []
    for measure in book.measures:
        lacked = [key for key in measure.indicators if key in bits]
        indicator = pl.lit(None, dtype=pl.String)
        for key in reversed(lacked):  # the first indicator lacked names the row
            indicator = pl.when(bits[key]).then(pl.lit(key)).otherwise(indicator)
        called = [bits[k] for k in lacked] + [
            pl.col(f"cause_{c}") for c in measure.causes if c in cause_flags
        ]
        if not called:
            continue
        wanted = pl.any_horizontal(called)
        if measure.needs_labour:
            wanted = wanted & ~pl.col("cannot_exit")
        parts.append(
            flagged.filter(wanted).select(
                "household_id", pl.lit(measure.code).alias("measure"), indicator.alias("indicator")
            )
        )
    empty = pl.DataFrame(
        schema={
            "household_id": households.schema["household_id"],
            "measure": pl.String,
            "indicator": pl.String,
        }
    )
    return plans, pl.concat([empty, *parts]) if parts else empty


PLAN_COUNTS = (
    "plans",
    "cannot_exit",
    "measures",
    "delivered",
    "followed_up",
    "exited",
    "cannot_exit_exited",
)


def plans_by_unit(rows: pl.DataFrame, closure: pl.DataFrame) -> pl.DataFrame:
    """Plans made, measures delivered and exits achieved, by unit at every level.

    `rows`: one per plan with unit_code, status, cannot_exit (0/1), measures, delivered and
    next_status (null until the next review). A plan is followed up once the household has a
    result at the next review; it exited when off its list (a poor household no longer poor, a
    near-poor one neither). Households where no member can work are counted apart.
    """
    left = pl.when(pl.col("status") == "poor").then(pl.col("next_status") != "poor")
    off = left.otherwise(~pl.col("next_status").is_in(["poor", "near_poor"])).fill_null(False)
    apart = pl.col("cannot_exit") == 1
    flagged = rows.with_columns(
        pl.lit(1).alias("plans"),
        apart.cast(pl.Int64).alias("cannot_exit"),
        (pl.col("next_status").is_not_null() & ~apart).cast(pl.Int64).alias("followed_up"),
        (off & ~apart).cast(pl.Int64).alias("exited"),
        (off & apart).cast(pl.Int64).alias("cannot_exit_exited"),
    )
    sums = [pl.col(c).sum() for c in PLAN_COUNTS]
    return (
        flagged.group_by("unit_code")
        .agg(sums)
        .join(closure, on="unit_code")
        .group_by("ancestor_code", "ancestor_level")
        .agg(sums)
        .rename({"ancestor_code": "unit_code", "ancestor_level": "level"})
        .sort("level", "unit_code")
    )

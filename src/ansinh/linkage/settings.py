"""Splink settings built from the comparison levels and blocking rules in data/linkage."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import splink.comparison_level_library as cll
import yaml
from splink import SettingsCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.comparison_library import CustomComparison

from ansinh.linkage.blocking import BASE_DIALECT, blocking_rule


@dataclass(frozen=True)
class Training:
    """How the model is trained: random pairs for u, EM rules for m, deterministic rules."""

    min_records: int
    duplicate_share: float
    random_pairs: int
    seed: int
    em_blocking_rules: list[list[str]]
    deterministic_rules: list[list[str]]
    deterministic_recall: float
    max_iterations: int = 25
    em_records: int = 0  # 0: EM on every pair its rules block


@dataclass(frozen=True)
class LinkageConfig:
    """The comparisons YAML, loaded: Splink settings and how to train them."""

    raw: dict[str, Any]

    @property
    def training(self) -> Training:
        return Training(**self.raw["training"])

    def settings(self, records: int, *, retain_evidence: bool = True) -> SettingsCreator:
        """Splink settings for `records` people (the prior match probability depends on it)."""
        share = self.training.duplicate_share
        return SettingsCreator(
            probability_two_random_records_match=min(0.5, 2 * share / max(records, 2)),
            link_type=self.raw["link_type"],
            unique_id_column_name=self.raw["unique_id_column_name"],
            comparisons=[_comparison(c) for c in self.raw["comparisons"]],
            blocking_rules_to_generate_predictions=[
                blocking_rule(r) for r in self.raw["blocking_rules"]
            ],
            retain_matching_columns=retain_evidence,
            retain_intermediate_calculation_columns=retain_evidence,
            additional_columns_to_retain=["source"],
            max_iterations=self.training.max_iterations,
        )

    def comparison_names(self) -> list[str]:
        return [c["name"] for c in self.raw["comparisons"]]

    def level_labels(self) -> dict[str, list[str]]:
        """Each comparison's level labels by gamma value (the null level is -1, not listed)."""
        return {name: [_label(lv) for lv in levels] for name, levels in self._by_gamma().items()}

    def level_words(self, language: str) -> dict[str, list[str]]:
        """Each level in words for inspectors (`vi` or `en`), by gamma value, like the labels."""
        return {
            name: [str(lv.get(language, _label(lv))) for lv in levels]
            for name, levels in self._by_gamma().items()
        }

    def missing_words(self, language: str) -> dict[str, str]:
        """Each comparison's null level in words (gamma -1)."""
        words = {}
        for comparison in self.raw["comparisons"]:
            null = [lv for lv in comparison["levels"] if _is_null(lv)]
            default = "thiếu" if language == "vi" else "missing"
            words[comparison["name"]] = str(null[0].get(language, default)) if null else default
        return words

    def _by_gamma(self) -> dict[str, list[dict[str, Any]]]:
        return {
            c["name"]: list(reversed([lv for lv in c["levels"] if not _is_null(lv)]))
            for c in self.raw["comparisons"]
        }


@lru_cache(maxsize=4)
def load_config(name: str = "comparisons.yaml") -> LinkageConfig:
    text = resources.files("ansinh.data.linkage").joinpath(name).read_text(encoding="utf-8")
    return LinkageConfig(yaml.safe_load(text))


def _comparison(spec: dict[str, Any]) -> CustomComparison:
    return CustomComparison(
        comparison_levels=[_level(lv) for lv in spec["levels"]],
        output_column_name=spec["name"],
        comparison_description=spec["name"],
    )


def _level(spec: dict[str, Any]) -> ComparisonLevelCreator:
    level = _level_creator(spec)
    options: dict[str, Any] = {}
    if "label" in spec:
        options["label_for_charts"] = spec["label"]
    if "m" in spec:
        options["m_probability"] = spec["m"]
    if "u" in spec:
        options["u_probability"] = spec["u"]
    if spec.get("null_level"):
        options["is_null_level"] = True
    if spec.get("fix_m"):
        options["fix_m_probability"] = True
    if spec.get("fix_u"):
        options["fix_u_probability"] = True
    return level.configure(**options) if options else level


def _level_creator(spec: dict[str, Any]) -> ComparisonLevelCreator:
    if "missing" in spec:
        columns = spec["missing"]
        condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
        return cll.CustomLevel(condition, "missing", BASE_DIALECT).configure(is_null_level=True)
    if "exact" in spec:
        return cll.ExactMatchLevel(spec["exact"], term_frequency_adjustments=bool(spec.get("tf")))
    if "jaro_winkler" in spec:
        return cll.JaroWinklerLevel(spec["jaro_winkler"], spec["threshold"])
    if "damerau_levenshtein" in spec:
        return _damerau_levenshtein(spec["damerau_levenshtein"], int(spec["distance"]))
    if "sql" in spec:
        return cll.CustomLevel(spec["sql"], spec.get("label"), BASE_DIALECT)
    if "and" in spec:
        return cll.And(*[_level_creator(part) for part in spec["and"]])
    if spec.get("else"):
        return cll.ElseLevel()
    raise ValueError(f"unknown comparison level: {spec}")


def _damerau_levenshtein(column: str, distance: int) -> ComparisonLevelCreator:
    """Damerau-Levenshtein distance at most `distance`, computed only where the plain
    Levenshtein distance is at most twice that (a transposition is two Levenshtein edits, so
    nothing is lost): DuckDB's Damerau-Levenshtein costs about 1.5 µs a pair and seven times
    Levenshtein's, and most candidate pairs (ID numbers, names) are far apart. A CASE, since
    DuckDB evaluates both sides of an AND but only the matching rows of a THEN."""
    left, right = f"{column}_l", f"{column}_r"
    sql = (
        f"CASE WHEN levenshtein({left}, {right}) <= {2 * distance} "
        f"THEN damerau_levenshtein({left}, {right}) <= {distance} ELSE FALSE END"
    )
    return cll.CustomLevel(sql, f"damerau-levenshtein {column} <= {distance}", BASE_DIALECT)


def _is_null(level: dict[str, Any]) -> bool:
    return "missing" in level or bool(level.get("null_level"))


def _label(level: dict[str, Any]) -> str:
    if "label" in level:
        return str(level["label"])
    for kind in ("exact", "jaro_winkler", "damerau_levenshtein"):
        if kind in level:
            return f"{kind.replace('_', '-')} {level[kind]}"
    return "different" if level.get("else") else str(level.get("sql", ""))

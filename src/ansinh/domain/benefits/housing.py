"""Housing support and the gratitude fund as data: kinds, sources, statuses, the fund's lines."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def housing_rules() -> dict[str, Any]:
    """data/benefits/housing.yaml, as read."""
    text = resources.files("ansinh").joinpath("data", "benefits", "housing.yaml")
    rules: dict[str, Any] = yaml.safe_load(text.read_text("utf-8"))
    return rules


def codes(key: str) -> list[str]:
    """The codes of one list of the file (kinds, sources, statuses)."""
    return [item["code"] for item in housing_rules()[key]]

"""The generator's parameter files under synth/data, read once and cached."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"
REGISTRY_DIR = Path(__file__).parent.parent / "data" / "registry"


@functools.cache
def load(name: str) -> dict[str, Any]:
    """A YAML file of synth/data by stem, with every string in NFC."""
    return _load(DATA_DIR / f"{name}.yaml")


@functools.cache
def load_registry(name: str) -> dict[str, Any]:
    """A code list of ansinh/data/registry by stem (ethnic groups, relations, benefits)."""
    return _load(REGISTRY_DIR / f"{name}.yaml")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        content = yaml.safe_load(handle)
    if not isinstance(content, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    result: dict[str, Any] = _nfc(content)
    return result


def _nfc(value: Any) -> Any:
    # Names compare byte for byte downstream, so a decomposed accent in a data file would
    # silently create a second spelling of the same name.
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value

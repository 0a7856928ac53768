"""Reads poverty standards from YAML: the shipped ones, or a province's own file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ansinh.domain.poverty._schema import parse_k, parse_standard
from ansinh.domain.poverty.standard import PovertyStandard
from ansinh.domain.rule_files import Checker, parse_yaml
from ansinh.errors import InputError

__all__ = [
    "StandardFileError",
    "list_standards",
    "load_standard",
    "load_standard_file",
    "load_standard_text",
    "parse_k",
    "standard_in_force",
]


class StandardFileError(InputError):
    """A standard file that does not fit the schema; every problem names the file and line."""


def load_standard_text(text: str, file: str) -> PovertyStandard:
    """Parse one standard from YAML text; raise StandardFileError with every problem found."""
    data, problems = parse_yaml(text, file)
    check = Checker(file, problems)
    if data is None and not problems:
        check.add(None, "", "tệp rỗng", "the file is empty")
    standard = parse_standard(check, data, file) if data is not None else None
    if check.problems or standard is None:
        raise StandardFileError(check.problems)
    return standard


def load_standard_file(path: Path) -> PovertyStandard:
    """A province's own standard file (same schema as the shipped ones)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StandardFileError.single(
            str(path), "không tìm thấy tệp chuẩn nghèo", "standard file not found"
        ) from None
    except UnicodeDecodeError:
        raise StandardFileError.single(
            str(path), "tệp không phải UTF-8", "file is not UTF-8"
        ) from None
    return load_standard_text(text, str(path))


def load_standard(name_or_path: str | Path) -> PovertyStandard:
    """A shipped standard by id (e.g. 'vn-2022-2025'), or a standard file by path."""
    if isinstance(name_or_path, Path) or _looks_like_path(name_or_path):
        return load_standard_file(Path(name_or_path))
    for standard in list_standards():
        if standard.id == name_or_path:
            return standard
    known = ", ".join(s.id for s in list_standards())
    raise StandardFileError.single(
        name_or_path,
        f"không có chuẩn nghèo '{name_or_path}'; các chuẩn có sẵn: {known}",
        f"no poverty standard '{name_or_path}'; shipped standards: {known}",
    )


def list_standards() -> list[PovertyStandard]:
    """Every shipped standard (national, provisional and examples), by valid_from then id."""
    return list(_shipped())


def standard_in_force(on: date, include_provisional: bool = False) -> PovertyStandard:
    """The national standard in force on a day: the latest valid_from with on in its range."""
    candidates = [
        s
        for s in list_standards()
        if s.scope == "national"
        and not s.example
        and (include_provisional or not s.provisional)
        and s.in_force_on(on)
    ]
    if not candidates:
        raise LookupError(f"no confirmed national poverty standard is in force on {on}")
    return max(candidates, key=lambda s: (s.valid_from, s.id))


def _looks_like_path(text: str) -> bool:
    return text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text


@lru_cache(maxsize=1)
def _shipped() -> tuple[PovertyStandard, ...]:
    found: list[PovertyStandard] = []
    for entry in _shipped_files(resources.files("ansinh").joinpath("data", "poverty")):
        file = f"ansinh/data/poverty/{entry.name}"
        standard = load_standard_text(entry.read_text(encoding="utf-8"), file)
        if standard.id != entry.name.rsplit(".", 1)[0]:
            raise StandardFileError.single(
                file, "id phải trùng tên tệp", "id must match the file name", None, "id"
            )
        found.append(standard)
    return tuple(sorted(found, key=lambda s: (s.valid_from, s.id)))


def _shipped_files(folder: Traversable) -> Iterator[Traversable]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _shipped_files(entry)
        elif entry.name.endswith((".yaml", ".yml")):
            yield entry

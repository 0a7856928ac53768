"""Strict YAML reading: every mapping remembers its line, duplicate keys are problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from ansinh.errors import Problem

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Located(dict[str, Any]):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]


# LibYAML's parser where PyYAML was built with it: the pure-Python one took half a second for
# the meritorious-people annexes (1,100 lines), on every process that pays a benefit.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that builds `Located` mappings and records duplicate keys."""

    duplicates: list[tuple[str, int]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicates.append((str(key), line))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay text so that a malformed one (2022-13-01) becomes our problem with a line,
    # not a ValueError from inside PyYAML.
    return str(loader.construct_scalar(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; return the data and the problems (syntax errors, duplicate keys)."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = str(getattr(error, "problem", None) or error)
        return None, [
            Problem(file, f"YAML không hợp lệ: {reason}", f"invalid YAML: {reason}", line)
        ]
    finally:
        loader.dispose()
    problems = [
        Problem(file, f"khoá '{key}' bị lặp", f"duplicate key '{key}'", line, key)
        for key, line in loader.duplicates
    ]
    return data, problems


@dataclass
class Checker:
    """Reads values out of `Located` mappings, collecting every problem instead of stopping."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, where: str, vi: str, en: str) -> None:
        self.problems.append(Problem(self.file, vi, en, line, where or None))

    def mapping(
        self,
        value: Any,
        where: str,
        required: frozenset[str],
        optional: frozenset[str] = frozenset(),
        line: int | None = None,
    ) -> Located | None:
        """The value as a mapping with exactly the allowed keys, or None after noting why."""
        if not isinstance(value, Located):
            self.add(line, where, "phải là một bảng khoá–giá trị", "must be a mapping")
            return None
        for key in value:
            if key not in required and key not in optional:
                self.add(
                    value.key_lines[key],
                    _join(where, key),
                    f"khoá lạ '{key}'",
                    f"unknown key '{key}'",
                )
        for key in sorted(required - value.keys()):
            self.add(value.line, _join(where, key), f"thiếu khoá '{key}'", f"missing key '{key}'")
        return value

    def any_keys(self, value: Any, where: str, line: int | None = None) -> Located | None:
        """The value as a mapping whose keys are names chosen by the file (e.g. line names)."""
        if not isinstance(value, Located) or not value:
            self.add(line, where, "phải là một bảng không rỗng", "must be a non-empty mapping")
            return None
        return value

    def line_of(self, m: Located, key: str) -> int:
        return m.key_lines.get(key, m.line)

    def text(self, m: Located, key: str, where: str) -> str:
        value = m.get(key)
        if not isinstance(value, str) or not value.strip():
            if key in m:
                self.add(self.line_of(m, key), _join(where, key), "phải là chữ", "must be text")
            return ""
        return value.strip()

    def flag(self, m: Located, key: str, where: str, default: bool = False) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.add(
                self.line_of(m, key), _join(where, key), "phải là true/false", "must be true/false"
            )
            return default
        return value

    def whole(self, m: Located, key: str, where: str) -> int:
        value = m.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            if key in m:
                self.add(
                    self.line_of(m, key),
                    _join(where, key),
                    "phải là số nguyên ≥ 0",
                    "must be a whole number ≥ 0",
                )
            return 0
        return value

    def day(self, m: Located, key: str, where: str) -> date | None:
        value = m.get(key)
        if isinstance(value, str) and _DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if key in m:
            self.add(
                self.line_of(m, key),
                _join(where, key),
                f"ngày không hợp lệ '{value}' (cần YYYY-MM-DD)",
                f"malformed date '{value}' (expected YYYY-MM-DD)",
            )
        return None

    def items(self, m: Located, key: str, where: str) -> list[Any]:
        value = m.get(key)
        if not isinstance(value, list) or not value:
            if key in m:
                self.add(
                    self.line_of(m, key),
                    _join(where, key),
                    "phải là danh sách không rỗng",
                    "must be a non-empty list",
                )
            return []
        return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key

"""Standard files that break the schema: each fixture gives its documented file, line and reason."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from tests.domain.poverty._cases import FIXTURES

from ansinh.domain.poverty import (
    StandardFileError,
    classify_household,
    load_standard,
    load_standard_file,
    load_standard_text,
    parse_k,
)
from ansinh.errors import InputError

# (fixture, line, where, reason in English, a word of the reason in Vietnamese): the line is the
# one its header comment names.
BROKEN = [
    ("bad_date.yaml", 8, "valid_to", "malformed date '2022-13-01'", "ngày không hợp lệ"),
    ("bad_weights.yaml", 25, "mpi.weights", "weights must sum to 1", "tổng trọng số"),
    ("duplicate_key.yaml", 9, "valid_to", "duplicate key 'valid_to'", "bị lặp"),
    ("missing_key.yaml", 2, "scope", "missing key 'scope'", "thiếu khoá 'scope'"),
    (
        "missing_references.yaml",
        21,
        "income_lines.poverty.references",
        "missing key 'references'",
        "thiếu khoá",
    ),
    (
        "unknown_key.yaml",
        18,
        "dimensions[0].indicators[0].colour",
        "unknown key 'colour'",
        "khoá lạ",
    ),
    (
        "unknown_line.yaml",
        23,
        "rules[0].income_at_most",
        "rule names an unknown income line 'medium'",
        "chuẩn thu nhập không có",
    ),
    (
        "unknown_reference.yaml",
        19,
        "dimensions[0].indicators[1].references",
        "reference 'decree-99' is not declared in references",
        "không có trong references",
    ),
    ("yaml_syntax.yaml", 5, None, "invalid YAML", "YAML không hợp lệ"),
]


def test_the_minimal_fixture_is_valid_and_classifies() -> None:
    standard = load_standard_file(FIXTURES / "minimal.yaml")
    assert standard.id == "minimal"
    assert standard.indicators == ("nutrition", "insurance")
    assert standard.indicator_weights == {"nutrition": 0.5, "insurance": 0.5}
    assert standard.mpi_k == 0.5
    assert classify_household(standard, "urban", 200, ["nutrition"]).status == "poor"
    assert classify_household(standard, "urban", 201, ["nutrition"]).status == "none"
    assert classify_household(standard, "rural", 100, []).status == "none"


@pytest.mark.parametrize(
    ("fixture", "line", "where", "reason_en", "reason_vi"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_broken_fixture_gives_its_documented_problem(
    fixture: str, line: int, where: str | None, reason_en: str, reason_vi: str
) -> None:
    path = FIXTURES / fixture
    with pytest.raises(StandardFileError) as raised:
        load_standard_file(path)
    (problem,) = raised.value.problems
    assert problem.file == str(path)
    assert problem.row == line
    assert problem.column == where
    assert reason_en in problem.reason_en
    assert reason_vi in problem.reason_vi
    assert str(path) in str(raised.value)


def test_a_catch_all_rule_that_is_not_last_is_reported_on_both_rules() -> None:
    path = FIXTURES / "catch_all_not_last.yaml"
    with pytest.raises(StandardFileError) as raised:
        load_standard_file(path)
    problems = raised.value.problems
    assert [(p.row, p.column) for p in problems] == [(23, "rules[0]"), (24, "rules[1]")]
    assert all("exactly the last rule must have no conditions" in p.reason_en for p in problems)
    assert all(p.file == str(path) for p in problems)


def test_every_problem_is_reported_at_once() -> None:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    broken = text.replace("scope: local", "scope: regional").replace(
        "valid_to: 2022-12-31", "valid_to: 2021-12-31"
    )
    with pytest.raises(StandardFileError) as raised:
        load_standard_text(broken, "two-problems.yaml")
    assert {p.column for p in raised.value.problems} == {"scope", "valid_to"}
    assert {p.row for p in raised.value.problems} == {5, 8}


def test_standard_file_error_is_an_input_error() -> None:
    assert issubclass(StandardFileError, InputError)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(StandardFileError) as raised:
        load_standard(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.reason_en) == (str(path), "standard file not found")


def test_file_not_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("name_vi: Chuẩn nông thôn".encode("utf-16"))
    with pytest.raises(StandardFileError) as raised:
        load_standard_file(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.reason_en) == (str(path), "file is not UTF-8")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(StandardFileError) as raised:
        load_standard_file(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.reason_en) == (str(path), "the file is empty")


@pytest.mark.parametrize(
    ("value", "k"),
    [
        ("1/3", Fraction(1, 3)),
        (" 1/3 ", Fraction(1, 3)),
        ("3/12", Fraction(1, 4)),
        ("0.3333", Fraction(3333, 10000)),
        (0.25, Fraction(1, 4)),
        (1, Fraction(1)),
        ("1", Fraction(1)),
        ("0", None),
        (0, None),
        ("-1/3", None),
        ("4/3", None),
        ("1/0", None),
        ("a third", None),
        (True, None),
        (None, None),
        ([1, 3], None),
    ],
)
def test_parse_k_reads_a_decimal_or_a_fraction_in_0_1(value: object, k: Fraction | None) -> None:
    # domain/poverty.md: K is a decimal or a fraction such as `1/3`, with 0 < k ≤ 1.
    assert parse_k(value) == k


def test_k_out_of_range_in_a_standard_file() -> None:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("k: 1/2", "k: 3/2")
    with pytest.raises(StandardFileError) as raised:
        load_standard_text(text, "k.yaml")
    (problem,) = raised.value.problems
    assert (problem.row, problem.column, problem.reason_en) == (25, "mpi.k", "k must be in (0, 1]")

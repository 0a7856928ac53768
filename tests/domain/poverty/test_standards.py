"""The shipped standards as data: their lines, indicators, validity, and which one is in force."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ansinh.domain.poverty import (
    StandardFileError,
    classify_household,
    list_standards,
    load_standard,
    normalize_area,
    standard_in_force,
)

SHIPPED = Path(__file__).parents[3] / "src" / "ansinh" / "data" / "poverty"
INDICATORS_2022 = (
    "employment",
    "dependents",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water",
    "sanitation",
    "telecom",
    "information_access",
)


def test_2022_2025_lines_and_twelve_indicators_in_six_dimensions() -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 1(a) (lines) and cl. 1(b) (6 services, 12 indicators),
    # cl. 2(c) (average-living-standard line).
    standard = load_standard("vn-2022-2025")
    assert standard.lines_for("rural") == {"poverty": 1_500_000, "average": 2_250_000}
    assert standard.lines_for("urban") == {"poverty": 2_000_000, "average": 3_000_000}
    assert standard.indicators == INDICATORS_2022
    assert [len(d.indicators) for d in standard.dimensions] == [2] * 6
    assert (standard.scope, standard.provisional, standard.example) == ("national", False, False)
    assert [r.status for r in standard.rules] == ["poor", "near_poor", "average", "none"]
    assert standard.rules[0].deprivations_at_least == 3
    assert standard.rules[1].deprivations_below == 3


def test_2022_2025_stays_in_force_through_2026() -> None:
    # Decree 351/2025/ND-CP keeps the 2022–2025 standard from 1 January to 31 December 2026.
    standard = load_standard("vn-2022-2025")
    assert (standard.valid_from, standard.valid_to) == (date(2022, 1, 1), date(2026, 12, 31))
    assert "nd351-2026" in standard.validity_references


def test_2027_2030_is_provisional_with_the_confirmed_lines() -> None:
    # Decree 351/2025/ND-CP: 2,200,000 VND rural, 2,800,000 VND urban from 2027 (confirmed); the
    # indicator changes are press-reported only, hence provisional.
    standard = load_standard("vn-2027-2030")
    assert standard.provisional
    assert standard.lines_for("rural")["poverty"] == 2_200_000
    assert standard.lines_for("urban")["poverty"] == 2_800_000
    assert not standard.income_lines["poverty"].provisional
    assert standard.income_lines["average"].provisional
    assert (standard.valid_from, standard.valid_to) == (date(2027, 1, 1), date(2030, 12, 31))
    keys = set(standard.indicators)
    assert {"employment", "dependents", "waste", "telecom"} <= keys
    # 12 indicators as in the draft: the information dimension is telecommunication services
    # only (a 13th, digital services, counted the same lack twice; issue 15 item 7).
    assert len(keys) == 12
    assert "information_access" not in keys and "digital_services" not in keys
    assert set(standard.provisional_indicators) == keys - {"employment", "dependents"}
    assert standard.notes, "a provisional standard says what is and is not confirmed"


def test_indicators_of_another_standard_are_refused() -> None:
    # information_access is dropped from 2027 (press reports of Decree 351/2025/ND-CP).
    with pytest.raises(ValueError, match="information_access"):
        classify_household(load_standard("vn-2027-2030"), "rural", 0, ["information_access"])
    with pytest.raises(ValueError, match="waste"):
        classify_household(load_standard("vn-2022-2025"), "rural", 0, ["waste"])


@pytest.mark.parametrize(
    ("review_day", "expected"),
    [
        (date(2022, 1, 1), "vn-2022-2025"),
        (date(2022, 12, 15), "vn-2022-2025"),
        (date(2025, 12, 15), "vn-2022-2025"),
        # Decree 351/2025/ND-CP: the 2026 review is still under the 2022–2025 standard.
        (date(2026, 12, 15), "vn-2022-2025"),
        (date(2026, 12, 31), "vn-2022-2025"),
    ],
)
def test_standard_in_force_for_review_years_2022_to_2026(review_day: date, expected: str) -> None:
    assert standard_in_force(review_day).id == expected
    assert standard_in_force(review_day, include_provisional=True).id == expected


@pytest.mark.parametrize("review_day", [date(2027, 1, 1), date(2027, 12, 15), date(2030, 12, 31)])
def test_from_2027_only_the_provisional_standard_is_in_force(review_day: date) -> None:
    # Decree 351/2025/ND-CP's 2027–2030 lines: confirmed figures, provisional indicators, so the
    # caller must ask for a provisional standard explicitly.
    with pytest.raises(LookupError):
        standard_in_force(review_day)
    assert standard_in_force(review_day, include_provisional=True).id == "vn-2027-2030"


@pytest.mark.parametrize("review_day", [date(2021, 12, 31), date(2031, 1, 1)])
def test_no_standard_outside_2022_2030(review_day: date) -> None:
    with pytest.raises(LookupError):
        standard_in_force(review_day, include_provisional=True)


def test_lao_cai_example_is_local_higher_and_never_the_national_standard() -> None:
    local = load_standard("lao-cai-local-2025")
    national = load_standard("vn-2022-2025")
    assert (local.scope, local.example) == ("local", True)
    for area in ("rural", "urban"):
        for line in ("poverty", "average"):
            assert local.lines_for(area)[line] > national.lines_for(area)[line]
    assert local.indicators == national.indicators
    assert local.in_force_on(date(2025, 12, 15))
    assert standard_in_force(date(2025, 12, 15)).id == "vn-2022-2025"


def test_lao_cai_example_loads_from_its_path_and_names_itself() -> None:
    path = SHIPPED / "examples" / "lao-cai-local-2025.yaml"
    by_path = load_standard(path)
    assert by_path == load_standard("lao-cai-local-2025")
    assert by_path.source == str(path)
    assert load_standard(str(path)).id == "lao-cai-local-2025"
    # Every result names the standard used (domain/poverty.md: reports say which standard).
    assert classify_household(by_path, "rural", 2_000_000, []).standard == "lao-cai-local-2025"


def test_shipped_standards_are_listed_by_start_date() -> None:
    assert [s.id for s in list_standards()] == [
        "vn-2022-2025",
        "lao-cai-local-2025",
        "vn-2027-2030",
    ]


def test_every_shipped_value_cites_a_declared_reference() -> None:
    for standard in list_standards():
        declared = set(standard.references)
        cited = [
            *standard.validity_references,
            *standard.mpi_references,
            *(r for line in standard.income_lines.values() for r in line.references),
            *(r for rule in standard.rules for r in rule.references),
            *(r for ind in standard.indicator_details for r in ind.references),
        ]
        assert cited, standard.id
        assert set(cited) <= declared, standard.id


def test_unknown_standard_names_the_shipped_ones() -> None:
    with pytest.raises(StandardFileError) as raised:
        load_standard("vn-2016-2020")
    (problem,) = raised.value.problems
    assert problem.file == "vn-2016-2020"
    assert "vn-2022-2025" in problem.reason_en
    assert "vn-2022-2025" in problem.reason_vi


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("rural", "rural"),
        ("urban", "urban"),
        ("RURAL", "rural"),
        ("nông thôn", "rural"),
        ("Nông Thôn", "rural"),
        ("NÔNG THÔN", "rural"),
        ("nong thon", "rural"),
        ("  nông   thôn ", "rural"),
        (unicodedata.normalize("NFD", "nông thôn"), "rural"),
        ("thành thị", "urban"),
        ("Thành Thị", "urban"),
        ("THANH THI", "urban"),
        (unicodedata.normalize("NFD", "thành thị"), "urban"),
        ("đô thị", None),
        ("miền núi", None),
        ("", None),
        (None, None),
    ],
)
def test_area_in_english_or_vietnamese(written: str | None, area: str | None) -> None:
    # domain/poverty.md: `area` is rural or urban, also nông thôn, thành thị.
    assert normalize_area(written) == area


def test_classify_household_wants_a_normalised_area_and_a_whole_income() -> None:
    standard = load_standard("vn-2022-2025")
    with pytest.raises(ValueError, match="area"):
        classify_household(standard, "nông thôn", 1_000_000, [])
    with pytest.raises(ValueError, match="income"):
        classify_household(standard, "rural", -1, [])
    with pytest.raises(ValueError, match="income"):
        classify_household(standard, "rural", True, [])


def test_reasons_name_the_line_and_the_cut_off_in_both_languages() -> None:
    # Decree 07/2021/ND-CP Art. 3 cl. 1(a), 2(a): the reason shows the threshold that decided.
    standard = load_standard("vn-2022-2025")
    poor = classify_household(
        standard, "rural", 1_500_000, ["nutrition", "employment", "dependents"]
    )
    assert (poor.line, poor.line_value) == ("poverty", 1_500_000)
    assert poor.deprived == ("employment", "dependents", "nutrition")  # the standard's order
    assert "≤ rural poverty line 1,500,000 VND" in poor.reason_en
    assert "(≥ 3)" in poor.reason_en
    assert "≤ chuẩn nghèo nông thôn 1.500.000 đ" in poor.reason_vi
    above = classify_household(standard, "urban", 3_000_001, [])
    assert (above.status, above.line, above.line_value) == ("none", "average", 3_000_000)
    assert "> urban average-living-standard line 3,000,000 VND" in above.reason_en
    assert "> chuẩn mức sống trung bình thành thị 3.000.000 đ" in above.reason_vi

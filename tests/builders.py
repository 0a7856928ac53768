"""Small literal households and questionnaires for tests, written as the import templates."""

from __future__ import annotations

import csv
from pathlib import Path

PEOPLE_HEADER = [
    "person_id",
    "household_id",
    "full_name",
    "birth_date",
    "sex",
    "citizen_id",
    "commune_code",
    "address",
    "source",
    "village_code",
    "village_name",
    "relation",
    "ethnicity",
    "able_to_work",
    "meritorious_category",
    "social_assistance_category",
    "health_insurance_category",
]
INDICATORS = [
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
]
SURVEY_HEADER = ["household_id", "year", "survey_date", "area", "income_per_capita"] + [
    f"deprived_{key}" for key in INDICATORS
]
KHAO_MANG = "04465"  # Xã Khao Mang, Lào Cai
MU_CANG_CHAI = "04456"  # Xã Mù Cang Chải, Lào Cai


def person(pid: str, hid: str, name: str, relation: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(PEOPLE_HEADER, "")
    row.update(person_id=pid, household_id=hid, full_name=name, relation=relation)
    row.update(commune_code=KHAO_MANG, village_code=f"{KHAO_MANG}-01", village_name="Thôn 1")
    row.update(fields)
    return row


def family() -> list[dict[str, str]]:
    """Two households: a Mông family with a meritorious grandfather, and a Kinh couple."""
    return [
        person(
            "P1",
            "H1",
            "Giàng A Páo",
            "head",
            birth_date="1970-05-02",
            sex="M",
            citizen_id="015070000123",
            ethnicity="Mông",
            able_to_work="1",
        ),
        person(
            "P2",
            "H1",
            "Sùng Thị Mai",
            "spouse",
            birth_date="1972",
            sex="F",
            ethnicity="Mông",
            able_to_work="1",
        ),
        person(
            "P3",
            "H1",
            "Giàng A Chứ",
            "child",
            birth_date="2001-03",
            sex="M",
            citizen_id="015201000456",
            ethnicity="H'Mông",
            able_to_work="1",
        ),
        person(
            "P4",
            "H1",
            "Giàng A Dế",
            "parent",
            birth_date="1940",
            sex="M",
            ethnicity="Mông",
            able_to_work="0",
            meritorious_category="war_invalid",
            health_insurance_category="meritorious",
        ),
        person(
            "P5",
            "H2",
            "Nguyễn Văn Hùng",
            "head",
            birth_date="1980-01-15",
            sex="Nam",
            ethnicity="Kinh",
            able_to_work="1",
            commune_code=MU_CANG_CHAI,
            village_code="",
            village_name="",
        ),
        person(
            "P6",
            "H2",
            "Trần Thị Thủy",
            "spouse",
            birth_date="1982-11-30",
            sex="Nữ",
            ethnicity="Kinh",
            able_to_work="1",
            commune_code=MU_CANG_CHAI,
            village_code="",
            village_name="",
        ),
    ]


def survey(
    hid: str,
    income: int,
    deprived: set[str],
    area: str = "rural",
    year: int = 2025,
    survey_date: str = "",
) -> dict[str, str]:
    row = {
        "household_id": hid,
        "year": str(year),
        "survey_date": survey_date,
        "area": area,
        "income_per_capita": str(income),
    }
    row.update({f"deprived_{key}": "1" if key in deprived else "0" for key in INDICATORS})
    return row


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path

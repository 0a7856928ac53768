"""FIGURES 003 (Quảng Trị): poor households with meritorious members, and their people, by area.

The article: under the 2022–2025 standard, 218 poor households with meritorious members (929
people), Hướng Hóa 145 (634) and Đakrông 62 (269); the goal excludes households where no member
can work. The registry below is built to those counts in today's communes of Quảng Trị, with
other households around them that must not be counted.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine
from tests.builders import person, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.reports import poverty_report
from ansinh.store.review import current_run, run_review

KHE_SANH, DAKRONG, LAO_BAO, QUANG_TRI = "19429", "19564", "19432", "44"
POOR = {"water", "sanitation", "housing_quality"}  # 3 indicators: poor (Decree 07/2021, Art. 3)


def households(
    commune: str,
    count: int,
    people: int,
    *,
    tag: str,
    meritorious: bool,
    income: int,
    can_work: bool = True,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """`count` households with `people` members between them; the head is meritorious if asked."""
    sizes = [people // count + (1 if i < people % count else 0) for i in range(count)]
    members, surveys = [], []
    for h, size in enumerate(sizes):
        hid = f"{tag}{h}"
        for m in range(size):
            members.append(
                person(
                    f"{hid}-{m}",
                    hid,
                    "Hồ Văn Ky" if m == 0 else "Hồ Thị Pả",
                    "head" if m == 0 else "child",
                    birth_date="1950" if m == 0 else "1985",
                    commune_code=commune,
                    village_code=f"{commune}-01",
                    ethnicity="Vân Kiều",
                    able_to_work="1" if can_work else "0",
                    meritorious_category="war_invalid" if meritorious and m == 0 else "",
                )
            )
        surveys.append(survey(hid, income, POOR if income <= 1_500_000 else set()))
    return members, surveys


@pytest.fixture
def report_rows(engine: Engine, tmp_path: Path) -> dict[str, pl.DataFrame]:
    parts = [
        households(KHE_SANH, 140, 614, tag="KS", meritorious=True, income=1_200_000),
        households(KHE_SANH, 5, 20, tag="KX", meritorious=True, income=900_000, can_work=False),
        households(DAKRONG, 62, 269, tag="DK", meritorious=True, income=1_400_000),
        households(LAO_BAO, 11, 26, tag="LB", meritorious=True, income=1_500_000),
        # Not counted: meritorious but above the line, and poor without meritorious members.
        households(KHE_SANH, 30, 120, tag="KR", meritorious=True, income=2_500_000),
        households(DAKRONG, 40, 170, tag="DP", meritorious=False, income=1_000_000),
    ]
    members = [row for part in parts for row in part[0]]
    surveys = [row for part in parts for row in part[1]]
    import_file(engine, write_csv(tmp_path / "households.csv", members), actor="tester")
    import_file(engine, write_csv(tmp_path / "surveys.csv", surveys), actor="tester")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    with engine.connect() as connection:
        run = current_run(connection, 2025)
        assert run is not None
        return {
            kind: poverty_report(connection, run, QUANG_TRI, "commune", kind).rows
            for kind in ("meritorious", "meritorious_can_work")
        }


def counts(rows: pl.DataFrame, unit: str) -> tuple[int, int]:
    found = rows.filter(pl.col("unit_code") == unit).row(0, named=True)
    return found["poor_households"], found["poor_people"]


def test_poor_households_with_meritorious_members_by_area(
    report_rows: dict[str, pl.DataFrame],
) -> None:
    rows = report_rows["meritorious"]
    assert counts(rows, QUANG_TRI) == (218, 929)
    assert counts(rows, KHE_SANH) == (145, 634)
    assert counts(rows, DAKRONG) == (62, 269)


def test_the_goal_excludes_households_where_no_member_can_work(
    report_rows: dict[str, pl.DataFrame],
) -> None:
    rows = report_rows["meritorious_can_work"]
    assert counts(rows, QUANG_TRI) == (213, 909)
    assert counts(rows, KHE_SANH) == (140, 614)

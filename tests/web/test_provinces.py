"""Two provinces in one registry: each province's roles see theirs alone, a national role both,
and the reports roll communes up to the provinces and the nation."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.builders import family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.accounts import create_account
from ansinh.store.models import Household, Unit
from ansinh.store.reports import poverty_report
from ansinh.store.review import current_run, run_review
from ansinh.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

PASSWORD = "mat-khau-thu-nghiem"
OTHER = "08"  # Tuyên Quang
POOR = {"water", "sanitation", "telecom"}  # with income at the rural line: poor (Decree 07/2021)


def _other_province(engine: Engine) -> list[dict[str, str]]:
    """Lào Cai's two literal households again, the same names, in two communes of Tuyên Quang."""
    with engine.connect() as connection:
        communes = list(
            connection.scalars(
                select(Unit.code).where(Unit.parent_code == OTHER, Unit.level == "commune").limit(2)
            )
        )
    rows = []
    for row in family():
        moved = dict(row)
        household = {"H1": 0, "H2": 1}[row["household_id"]]
        moved.update(
            person_id="T" + row["person_id"],
            household_id="T" + row["household_id"],
            commune_code=communes[household],
            citizen_id="",
            village_code="",
            village_name="",
        )
        rows.append(moved)
    return rows


@pytest.fixture
def country(engine: Engine, tmp_path: Path) -> TestClient:
    import_file(engine, write_csv(tmp_path / "lao_cai.csv", family()), actor="tester")
    import_file(engine, write_csv(tmp_path / "tuyen_quang.csv", _other_province(engine)), actor="t")
    surveys = [
        survey("H1", 1_500_000, POOR),
        survey("H2", 1_900_000, set()),
        survey("TH1", 1_500_000, POOR),
        survey("TH2", 1_500_000, POOR),
    ]
    import_file(engine, write_csv(tmp_path / "surveys.csv", surveys), actor="tester")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    with engine.begin() as connection:
        create_account(connection, "laocai", "province_viewer", ["15"], PASSWORD, "tester")
        create_account(connection, "tuyenquang", "province_admin", [OTHER], PASSWORD, "tester")
        create_account(connection, "national", "national_viewer", [], PASSWORD, "tester")
    return TestClient(create_app(engine, secure_cookies=False))


def _as(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _codes(engine: Engine) -> dict[str, tuple[int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(select(Household.code, Household.id, Household.commune_code))
        return {code: (hid, commune) for code, hid, commune in rows}


@pytest.mark.parametrize(
    ("username", "own", "other"),
    [
        ("laocai", ("H1", "H2"), ("TH1", "TH2")),
        ("tuyenquang", ("TH1", "TH2"), ("H1", "H2")),
    ],
)
def test_a_province_role_never_sees_another_provinces_households(
    engine: Engine, country: TestClient, username: str, own: tuple[str, ...], other: tuple[str, ...]
) -> None:
    headers, held = _as(country, username), _codes(engine)
    listed = country.get("/api/v1/households?page_size=100", headers=headers).json()
    assert sorted(h["id"] for h in listed["items"]) == sorted(held[code][0] for code in own)
    for code in other:
        household_id, commune = held[code]
        assert country.get(f"/api/v1/households/{household_id}", headers=headers).status_code == 404
        answer = country.get(f"/api/v1/households?commune={commune}", headers=headers)
        assert answer.status_code == 403
    # The same names live in both provinces: the search finds this province's people alone.
    found = country.get("/api/v1/search?q=giang a pao", headers=headers).json()
    assert [p["household_id"] for p in found["items"]] == [held[own[0]][0]]
    other_province = OTHER if username == "laocai" else "15"
    assert country.get(f"/api/v1/units/{other_province}", headers=headers).status_code == 403
    assert country.get("/api/v1/units/VN", headers=headers).status_code == 403


def test_the_national_role_sees_every_province_and_their_sum(
    engine: Engine, country: TestClient
) -> None:
    headers = _as(country, "national")
    assert country.get("/api/v1/households", headers=headers).json()["total"] == 4
    nation = country.get("/api/v1/units/VN", headers=headers).json()
    assert (nation["unit"]["households"], nation["unit"]["poor_households"]) == (4, 3)
    provinces = {c["code"]: c for c in nation["children"] if c["households"]}
    assert {code: c["households"] for code, c in provinces.items()} == {"15": 2, OTHER: 2}
    assert {code: c["poor_households"] for code, c in provinces.items()} == {"15": 1, OTHER: 2}
    # The national role reads; it does not edit.
    assert country.get("/api/v1/audit", headers=headers).status_code == 403


def test_the_report_rolls_communes_up_to_provinces_and_the_nation(
    engine: Engine, country: TestClient
) -> None:
    with engine.connect() as connection:
        run = current_run(connection, 2025)
        assert run is not None
        nation = poverty_report(connection, run, "VN", "province").rows
        province = poverty_report(connection, run, OTHER, "commune").rows
    held = nation.filter(nation["households"] > 0)
    assert dict(zip(held["unit_code"], held["households"], strict=True)) == {
        "VN": 4,
        "15": 2,
        OTHER: 2,
    }
    assert province.filter(province["unit_code"] == OTHER)["poor_households"].item() == 2
    communes = province.filter((province["unit_code"] != OTHER) & (province["households"] > 0))
    assert communes["households"].sum() == 2


def test_a_national_role_is_given_no_province(engine: Engine) -> None:
    with engine.begin() as connection, pytest.raises(InputError, match="whole country"):
        create_account(connection, "quocgia2", "national_viewer", ["15"], PASSWORD, "tester")
    with engine.begin() as connection:
        create_account(connection, "quocgia3", "national_viewer", ["VN"], PASSWORD, "tester")

"""A small literal province on each backend, one account per role, and signed-in clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from tests.builders import KHAO_MANG, family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.accounts import create_account
from ansinh.store.models import Household
from ansinh.store.review import run_review
from ansinh.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

PASSWORD = "mat-khau-thu-nghiem"
# username -> (role, units); the officer may see Khao Mang only, not Mù Cang Chải (household H2).
ACCOUNTS = {
    "admin": ("province_admin", ["15"]),
    "viewer": ("province_viewer", ["15"]),
    "officer": ("commune_officer", [KHAO_MANG]),
    "inspector": ("inspector", []),
}
# Decree 07/2021/ND-CP: rural, income at the 1,500,000 line with 3 deprivations is poor.
POOR_DEPRIVATIONS = {"water", "sanitation", "telecom"}
ACCOUNT_TABLES = ["login_failure", "account_token", "account_unit", "account"]


def literal_province(engine: Engine, folder: Path) -> None:
    """Two households of Lào Cai (tests/builders.py), reviewed for 2025, and the accounts."""
    import_file(engine, write_csv(folder / "households.csv", family()), actor="tester")
    surveys = [survey("H1", 1_500_000, POOR_DEPRIVATIONS), survey("H2", 1_900_000, set())]
    import_file(engine, write_csv(folder / "surveys.csv", surveys), actor="tester")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "tester")
    with engine.begin() as connection:
        for table in ACCOUNT_TABLES:  # until the shared fixture empties them on PostgreSQL
            connection.execute(text(f"DELETE FROM {table}"))
        for username, (role, units) in ACCOUNTS.items():
            create_account(connection, username, role, units, PASSWORD, "tester")


@dataclass
class Site:
    engine: Engine
    client: TestClient  # signed out

    def ids(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return dict(
                (code, hid)
                for code, hid in connection.execute(select(Household.code, Household.id))
            )

    def browser(self, username: str | None = None) -> TestClient:
        """A new client, signed in through the login form when a username is given."""
        client = TestClient(self.client.app)
        if username is not None:
            form = client.get("/login")
            secret = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
            assert secret is not None
            answer = client.post(
                "/login",
                data={"username": username, "password": PASSWORD, "login_csrf": secret[1]},
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
        return client

    def token(self, username: str) -> dict[str, str]:
        answer = self.client.post(
            "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def site(engine: Engine, tmp_path: Path) -> Iterator[Site]:
    literal_province(engine, tmp_path)
    app = create_app(engine, secure_cookies=False)
    yield Site(engine, TestClient(app))


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, "no CSRF token in the page"
    return found[1]

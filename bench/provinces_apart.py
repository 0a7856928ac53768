"""A province's roles see their province only: checked through the JSON API on a registry of
several provinces, at its size (issue 20: "a province's data never mixes with another's in a
province role's view, tested at scale").

    python bench/provinces_apart.py --url postgresql+psycopg://HOST/DB [--sample 200]

For each province holding households, a `province_viewer` account of it (`bench.apart.CODE`),
signed in through the API's token; then, in the application itself (FastAPI's test client, no
server):

- `GET /api/v1/households?page_size=1`: its total is the province's households as SQL counts
  them through the units table, not through the application's scope;
- `GET /api/v1/units/OTHER` and `GET /api/v1/households?commune=C` for a commune of another
  province: 403;
- `--sample` households of the other provinces: 404 each; as many of its own: 200;
- the full names of `--sample` people of the other provinces searched (`/api/v1/search`): every
  person found is in a household of the province;

and a `national_viewer` sees the households of every province. Prints a line a province and
exits 1 on any leak.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from ansinh.store.accounts import reset_account
from ansinh.store.db import make_engine
from ansinh.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

# Each household with its province, through the units table (commune -> province).
HOUSEHOLDS_BY_PROVINCE = """
    SELECT u.parent_code AS province, count(*) AS households
    FROM household AS h JOIN unit AS u ON u.code = h.commune_code
    GROUP BY u.parent_code ORDER BY u.parent_code"""
SAMPLE = """
    SELECT h.id, (SELECT p.full_name FROM person AS p WHERE p.household_id = h.id LIMIT 1)
    FROM household AS h JOIN unit AS u ON u.code = h.commune_code
    WHERE u.parent_code {relation} :province
    ORDER BY random() LIMIT :n"""


@dataclass
class Tally:
    checks: int = 0
    leaks: int = 0

    def expect(self, ok: bool, what: str) -> None:
        self.checks += 1
        if not ok:
            self.leaks += 1
            print(f"  LEAK: {what}", flush=True)


def _client(engine: Engine, username: str, role: str, units: list[str]) -> TestClient:
    password = secrets.token_urlsafe(12)
    with engine.begin() as connection:
        reset_account(connection, username, role, units, password, "bench")
        connection.execute(text("DELETE FROM login_failure"))
    client = TestClient(create_app(engine, secure_cookies=False))
    token = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def _sample(connection: Connection, province: str, own: bool, n: int) -> list[Any]:
    query = text(SAMPLE.format(relation="=" if own else "<>"))
    return list(connection.execute(query, {"province": province, "n": n}))


def _province(engine: Engine, province: str, held: dict[str, int], n: int, tally: Tally) -> None:
    client = _client(engine, f"bench.apart.{province}", "province_viewer", [province])
    total = client.get("/api/v1/households", params={"page_size": 1}).json()["total"]
    tally.expect(total == held[province], f"{province} sees {total:,} of {held[province]:,}")
    with engine.connect() as connection:
        others = _sample(connection, province, own=False, n=n)
        own = _sample(connection, province, own=True, n=n)
        foreign_commune = connection.scalar(
            text("SELECT code FROM unit WHERE level = 'commune' AND parent_code <> :p LIMIT 1"),
            {"p": province},
        )
    for other in sorted(set(held) - {province}):
        status = client.get(f"/api/v1/units/{other}").status_code
        tally.expect(status == 403, f"{province} reads unit {other}: {status}")
    status = client.get("/api/v1/households", params={"commune": foreign_commune}).status_code
    tally.expect(status == 403, f"{province} lists commune {foreign_commune}: {status}")
    for household_id, _ in others:
        status = client.get(f"/api/v1/households/{household_id}").status_code
        tally.expect(status == 404, f"{province} reads household {household_id}: {status}")
    for household_id, _ in own:
        status = client.get(f"/api/v1/households/{household_id}").status_code
        tally.expect(status == 200, f"{province} cannot read its household {household_id}")
    found = 0
    with engine.connect() as connection:
        for _, name in others:
            items = client.get("/api/v1/search", params={"q": name}).json()["items"]
            ids = [item["household_id"] for item in items]
            found += len(ids)
            outside = connection.scalar(
                text(
                    "SELECT count(*) FROM household AS h JOIN unit AS u "
                    "ON u.code = h.commune_code WHERE h.id = ANY(:ids) AND u.parent_code <> :p"
                ),
                {"ids": ids, "p": province},
            )
            tally.expect(outside == 0, f"{province} finds {outside} outside for '{name}'")
    print(
        f"{province}: {total:,} households seen (SQL {held[province]:,}); "
        f"{len(others)} of others' households refused, {len(own)} of its own read; "
        f"{len(others)} others' names searched, {found:,} people found, all its own",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sample", type=int, default=200)
    options = parser.parse_args()
    engine = make_engine(url=options.url)
    with engine.connect() as connection:
        held = {str(p): int(n) for p, n in connection.execute(text(HOUSEHOLDS_BY_PROVINCE))}
    load = Path("/proc/loadavg").read_text().strip()
    print(f"{sum(held.values()):,} households in {len(held)} provinces; load average {load}")
    tally = Tally()
    started = time.perf_counter()
    for province in held:
        _province(engine, province, held, options.sample, tally)
    national = _client(engine, "bench.apart.vn", "national_viewer", [])
    total = national.get("/api/v1/households", params={"page_size": 1}).json()["total"]
    tally.expect(total == sum(held.values()), f"the national role sees {total:,}")
    print(f"national: {total:,} households seen")
    seconds = time.perf_counter() - started
    print(f"{tally.checks:,} checks in {seconds:.1f} s: {tally.leaks} leaks")
    sys.exit(1 if tally.leaks else 0)


if __name__ == "__main__":
    main()

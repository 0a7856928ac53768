"""One search at a time, as a province's officer makes it: how long the registry takes to answer,
with nothing else running (the web load test measures the queue of 50 clients on top of it).

    python bench/search_alone.py --url postgresql+psycopg://HOST/DB [--province 15] [--names 200]

Draws `--names` full names of the province's people at random (seeded), then searches each in
the province's scope through `store.search.search_people` (the code behind the search page and
`/api/v1/search`), twice: the first pass warms the caches and the server's buffers, the second
is timed. Prints the median, 95th percentile and longest search, and how many people the
searches found, all of them checked to be the province's own.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import Connection, text

from ansinh.store.db import make_engine
from ansinh.store.scope import scope_for
from ansinh.store.search import search_people

# The people of the province's households, through the units table (commune -> province).
NAMES = """
    SELECT p.full_name FROM person AS p TABLESAMPLE SYSTEM (1) REPEATABLE (1)
    JOIN household AS h ON h.id = p.household_id JOIN unit AS u ON u.code = h.commune_code
    WHERE u.parent_code = :province LIMIT :n"""
COMMUNES = "SELECT code FROM unit WHERE parent_code = :province AND level = 'commune'"


def _timed(connection: Connection, names: list[str], province: str) -> tuple[list[float], int]:
    scope = scope_for(connection, (province,))
    seconds, found = [], 0
    for name in names:
        started = time.perf_counter()
        result = search_people(connection, scope, name)
        seconds.append(time.perf_counter() - started)
        found += len(result.items)
    return seconds, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--province", default="15")
    parser.add_argument("--names", type=int, default=200)
    options = parser.parse_args()
    random.seed(1)
    engine = make_engine(url=options.url)
    with engine.connect() as connection:
        drawn = connection.scalars(
            text(NAMES), {"province": options.province, "n": options.names * 20}
        ).all()
        names = random.sample(list(drawn), min(options.names, len(drawn)))
        communes = set(connection.scalars(text(COMMUNES), {"province": options.province}))
        _timed(connection, names, options.province)  # warm
        seconds, found = _timed(connection, names, options.province)
        scope = scope_for(connection, (options.province,))
        outside = sum(
            1
            for name in names
            for item in search_people(connection, scope, name).items
            if item.commune_name and not scope.has_commune(_commune(connection, item.household_id))
        )
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))]
    print(
        f"{len(names)} searches of province {options.province} ({len(communes)} communes): "
        f"median {statistics.median(seconds) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"longest {seconds[-1] * 1000:.1f} ms; {found:,} people shown, {outside} outside"
    )


def _commune(connection: Connection, household_id: int) -> str:
    return str(
        connection.scalar(
            text("SELECT commune_code FROM household WHERE id = :id"), {"id": household_id}
        )
    )


if __name__ == "__main__":
    main()

"""Load on the web application: 50 concurrent clients on loopback against a registry file.

    python bench/web/run.py --db var/bench/ansinh.db [--clients 50] [--seconds 20] [--workers 2]

Targets (issue 5): dashboard and household page p95 < 300 ms, search p95 < 150 ms, on the
1,000,000-household province in SQLite. Runs `uvicorn ansinh.web.server:create` as a child
process, signs each client in through the login form, then runs each scenario in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select, text

from ansinh.store.accounts import reset_account
from ansinh.store.db import make_engine
from ansinh.store.models import Household, Person, Unit
from ansinh.web.server import prepare_database

TARGETS_MS = {"dashboard": 300.0, "household": 300.0, "search": 150.0}
USERNAME = "bench.tinh"


@dataclass(frozen=True)
class Sample:
    province: str
    households: list[int]
    names: list[str]


def prepare(engine: Engine, password: str) -> Sample:
    """The bench account, and household ids and names to ask for, drawn from the registry."""
    prepare_database(engine)
    with engine.begin() as connection:
        commune = connection.scalar(select(Household.commune_code).limit(1))
        province = connection.scalar(select(Unit.parent_code).where(Unit.code == commune))
        top = connection.scalar(select(func.max(Household.id))) or 0
        ids = [random.randint(1, top) for _ in range(500)]
        names = list(
            connection.scalars(select(Person.full_name).where(Person.id.in_([i * 3 for i in ids])))
        )
        reset_account(connection, USERNAME, "province_admin", [str(province)], password, "bench")
        connection.execute(text("DELETE FROM login_failure"))
    return Sample(str(province), ids, names)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "ANSINH_DATABASE_URL": f"sqlite:///{db}",
        "ANSINH_SECURE_COOKIES": "false",
    }
    command = [sys.executable, "-m", "uvicorn", "ansinh.web.server:create", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", "--no-access-log",
               "--timeout-keep-alive", "60"]  # fmt: skip
    return subprocess.Popen(command, env=env)


def wait_until_up(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


async def sign_in(client: httpx.AsyncClient, password: str) -> None:
    form = await client.get("/login")
    secret = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert secret is not None
    answer = await client.post(
        "/login", data={"username": USERNAME, "password": password, "login_csrf": secret[1]}
    )
    assert answer.status_code == 303, answer.status_code


async def scenario(
    clients: list[httpx.AsyncClient],
    path: Callable[[], str],
    seconds: float,
    headers: dict[str, str],
    think: float = 0.0,
) -> tuple[list[float], int]:
    """Every client asks in a loop for `seconds`, pausing `think` seconds (on average) between
    requests as an officer reading the page would; the latencies in ms, and the errors."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.monotonic() < stop:
            started = time.perf_counter()
            answer = await client.get(path(), headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += answer.status_code != 200
            if think:
                await asyncio.sleep(random.expovariate(1 / think))

    await asyncio.gather(*(loop(c) for c in clients))
    return latencies, errors


def report(name: str, latencies: list[float], errors: int, seconds: float) -> bool:
    cuts = statistics.quantiles(latencies, n=100)
    p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    ok = p95 < TARGETS_MS[name] and errors == 0
    print(f"{name:10} {len(latencies):7,} requests {len(latencies) / seconds:7.1f}/s  "
          f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  errors {errors}  "
          f"target p95 < {TARGETS_MS[name]:.0f} ms: {'ok' if ok else 'MISSED'}")  # fmt: skip
    return ok


async def run(
    base: str, sample: Sample, password: str, count: int, seconds: float, think: float
) -> bool:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, limits=limits, timeout=60) for _ in range(count)]
    for client in clients:
        await sign_in(client, password)
    paths: dict[str, tuple[Callable[[], str], dict[str, str]]] = {
        "dashboard": (lambda: f"/units/{sample.province}", {}),
        "household": (lambda: f"/households/{random.choice(sample.households)}", {}),
        "search": (
            lambda: f"/search?q={random.choice(sample.names)}",
            {"HX-Request": "true"},  # the results as the officer types
        ),
    }
    passed = True
    for name, (path, headers) in paths.items():
        await scenario(clients, path, 2, headers, think)  # warm the caches
        latencies, errors = await scenario(clients, path, seconds, headers, think)
        passed &= report(name, latencies, errors, seconds)
    for client in clients:
        await client.aclose()
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="SQLite registry to load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a client's requests (s)"
    )
    args = parser.parse_args()
    random.seed(1)
    password = secrets.token_urlsafe(12)
    engine = make_engine(url=f"sqlite:///{args.db}")
    sample = prepare(engine, password)
    engine.dispose()
    with engine.connect() as connection:
        households = connection.scalar(select(func.count()).select_from(Household))
    print(f"{households:,} households, province {sample.province}, {args.clients} clients, "
          f"think {args.think} s, {args.workers} workers, {os.cpu_count()} CPUs")  # fmt: skip
    port = free_port()
    server = start_server(args.db, port, args.workers)
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        passed = asyncio.run(
            run(
                f"http://127.0.0.1:{port}", sample, password, args.clients, args.seconds, args.think
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()

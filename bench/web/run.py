"""Load on the web application: 50 concurrent clients on loopback against a registry.

    python bench/web/run.py (--db var/bench/ansinh.db | --url postgresql://HOST/DB)
                            [--clients 50] [--seconds 20] [--workers 2] [--think 0]
                            [--wrk-threads 1] [--sample 500] [--seed N]
                            [--pages dashboard,household,search]

Targets (issue 5): dashboard and household page p95 < 300 ms, search p95 < 150 ms, on the
1,000,000-household province in SQLite (issue 20: the same on PostgreSQL, `--url`).

How it runs: this script resets a bench account (`bench.tinh`, province administrator) in the
registry, draws `--sample` household ids and the names of people in them (searches of names
already asked are answered from the result cache; a large sample measures new ones), starts
`ansinh serve` with `--workers` processes (each on a listening socket of its own:
web/workers.py), and signs in once through the login form (CSRF cookie and field, as a browser
does) to get a session cookie. The load itself is `wrk` (C, epoll), so that the generator takes
little of the cores it shares with the workers: a Python generator used to take as much CPU as
the server. For each page in turn — the province dashboard, a random household page, a random
name search sent as htmx sends it while the officer types — it writes the request paths to a
file and runs

    wrk -t THREADS -c CLIENTS -d 2s   ... (warm-up, not reported), then
    wrk -t THREADS -c CLIENTS -d SECONDS --timeout 60s -s bench/web/pages.lua URL \\
        -- PATHS COOKIE THINK_MS [hx]

where pages.lua picks a random path per request, sends the session cookie, counts any answer
other than 200 as a failure (a redirect to the sign-in page would otherwise look fast), and
prints p50/p95/p99, the request count and the failures; this script prints them as a table
with the throughput and the load average of the machine before and after.

wrk comes from the Debian package: `apt-get install -y wrk`. Exit status 0 when every target
is met with no failure, 1 otherwise, 2 when wrk is missing or the registry is not usable.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import Engine, func, select, text

from ansinh.store.accounts import reset_account
from ansinh.store.db import make_engine
from ansinh.store.models import Household, Person, Unit
from ansinh.web.server import prepare_database

TARGETS_MS = {"dashboard": 300.0, "household": 300.0, "search": 150.0}
USERNAME = "bench.tinh"
SCRIPT = Path(__file__).with_name("pages.lua")
WARM_UP_SECONDS = 2


@dataclass(frozen=True)
class Sample:
    province: str
    households: list[int]
    names: list[str]


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: list[str]
    htmx: bool = False  # sent with HX-Request, as htmx asks for a fragment


@dataclass(frozen=True)
class Outcome:
    requests: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    failures: int  # answers other than 200, socket errors and timeouts


def prepare(engine: Engine, password: str, size: int = 500, seed: int | None = None) -> Sample:
    """The bench account, and `size` household ids and names to ask for, from the registry.

    The pages cache search results per text: with few names most searches are answered from
    the cache; a large `size` measures searches the server has not seen. The same `seed` draws
    the same sample; none, a new one each run."""
    draw = random.Random(seed)
    prepare_database(engine)
    with engine.begin() as connection:
        commune = connection.scalar(select(Household.commune_code).limit(1))
        if commune is None:
            raise SystemExit("Sổ hộ trống / the registry holds no household")
        province = connection.scalar(select(Unit.parent_code).where(Unit.code == commune))
        # The province's own households and people, as its officers look for them (a registry
        # of several provinces holds others, which the account may not see).
        communes = select(Unit.code).where(Unit.parent_code == province)
        # Drawn here, not by the database's random(), so that a seed draws the same sample
        # again: two versions compared on the same households and names.
        held = sorted(
            connection.scalars(select(Household.id).where(Household.commune_code.in_(communes)))
        )
        ids = draw.sample(held, min(size, len(held)))
        members = sorted(
            connection.scalars(select(Person.full_name).where(Person.household_id.in_(ids)))
        )
        names = draw.sample(members, min(size, len(members)))
        reset_account(connection, USERNAME, "province_admin", [str(province)], password, "bench")
        connection.execute(text("DELETE FROM login_failure"))
    return Sample(str(province), ids, names)


def scenarios(sample: Sample) -> list[Scenario]:
    return [
        Scenario("dashboard", [f"/units/{sample.province}"]),
        Scenario("household", [f"/households/{i}" for i in sample.households]),
        Scenario("search", [f"/search?q={quote(n)}" for n in sample.names], htmx=True),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "ANSINH_DATABASE_URL": url,
        "ANSINH_SECURE_COOKIES": "false",
    }
    # The server as officers get it: `ansinh serve`, each worker on a socket of its own.
    command = [sys.executable, "-m", "ansinh", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
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


def sign_in(base: str, password: str) -> str:
    """The Cookie header of a session opened through the login form, as a browser would."""
    with httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/login")
        secret = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
        if secret is None:
            raise SystemExit("the login form has no CSRF field")
        answer = client.post(
            "/login", data={"username": USERNAME, "password": password, "login_csrf": secret[1]}
        )
        if answer.status_code != 303:
            raise SystemExit(f"sign-in failed: HTTP {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def run_wrk(
    wrk: str, base: str, scenario: Scenario, cookie: str, options: argparse.Namespace, work: Path
) -> Outcome:
    seconds = options.seconds
    paths = work / f"{scenario.name}.txt"
    paths.write_text("\n".join(scenario.paths) + "\n", encoding="utf-8")
    args = [str(paths), cookie, str(round(options.think * 1000)), "hx" if scenario.htmx else ""]
    command = [wrk, "-t", str(min(options.wrk_threads, options.clients)),
               "-c", str(options.clients), "-d", f"{seconds:g}s", "--timeout", "60s",
               "-s", str(SCRIPT), base, "--", *args]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"^RESULT (.*)$", finished.stdout, re.MULTILINE)
    if finished.returncode != 0 or found is None:
        raise SystemExit(f"wrk failed ({finished.returncode}): {finished.stderr.strip()}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found[1].split())}
    return Outcome(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50=values["p50_us"] / 1000,
        p95=values["p95_us"] / 1000,
        p99=values["p99_us"] / 1000,
        failures=values["not_ok"] + values["socket_errors"] + values["timeouts"],
    )


def report(name: str, outcome: Outcome) -> bool:
    ok = outcome.p95 < TARGETS_MS[name] and outcome.failures == 0 and outcome.requests > 0
    rate = outcome.requests / outcome.seconds if outcome.seconds else 0.0
    print(f"{name:10} {outcome.requests:7,} requests {rate:7.1f}/s  "
          f"p50 {outcome.p50:6.1f} ms  p95 {outcome.p95:6.1f} ms  p99 {outcome.p99:6.1f} ms  "
          f"errors {outcome.failures}  "
          f"target p95 < {TARGETS_MS[name]:.0f} ms: {'ok' if ok else 'MISSED'}")  # fmt: skip
    return ok


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(wrk: str, base: str, sample: Sample, password: str, options: argparse.Namespace) -> bool:
    cookie = sign_in(base, password)
    passed = True
    with tempfile.TemporaryDirectory(prefix="ansinh-web-bench-") as folder:
        work = Path(folder)
        for scenario in scenarios(sample):
            if scenario.name not in options.pages:
                continue
            warm = argparse.Namespace(**{**vars(options), "seconds": WARM_UP_SECONDS})
            run_wrk(wrk, base, scenario, cookie, warm, work)  # warm the caches
            passed &= report(scenario.name, run_wrk(wrk, base, scenario, cookie, options, work))
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="SQLite registry to load")
    where.add_argument("--url", help="a database URL instead (postgresql://...)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a client's requests (s)"
    )
    parser.add_argument(
        "--sample", type=int, default=500, help="household ids and names drawn to ask for"
    )
    parser.add_argument(
        "--seed", type=int, help="draw the same sample again (default: a new one each run)"
    )
    parser.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (one keeps 50 clients busy)"
    )
    parser.add_argument(
        "--pages",
        type=lambda text: text.split(","),
        default=list(TARGETS_MS),
        help="pages to load, comma-separated (default: dashboard,household,search)",
    )
    options = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk không có / wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        raise SystemExit(2)
    if options.db is not None and not options.db.is_file():
        print(f"{options.db}: không có tệp / no such file", file=sys.stderr)
        raise SystemExit(2)
    url = options.url or f"sqlite:///{options.db}"
    password = secrets.token_urlsafe(12)
    engine = make_engine(url=url)
    sample = prepare(engine, password, options.sample, options.seed)
    with engine.connect() as connection:
        households = connection.scalar(select(func.count()).select_from(Household))
    engine.dispose()
    print(f"{households:,} households, province {sample.province}, {options.clients} clients, "
          f"think {options.think} s, {options.workers} workers, {os.cpu_count()} CPUs, "
          f"load average {load_average()}")  # fmt: skip
    port = free_port()
    server = start_server(url, port, options.workers)
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        passed = run(wrk, f"http://127.0.0.1:{port}", sample, password, options)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average after: {load_average()} (1, 5, 15 min)")
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()

"""A bounded soak: imports, edits, reviews and page loads at once against `ansinh serve
--workers 2` on loopback, counting errors and lost writes (the target of both: 0).

    python bench/soak.py [--minutes 60] [--households 2000] [--clients 4] [--keep DIR]

How it runs: a fresh SQLite registry in a temporary folder (`ansinh init`, `ansinh synth` of
Lào Cai with `--households`, the 2025 review), an account per client (commune officers of the
busiest communes, each editing only its own households, and a province administrator who
imports), then `ansinh serve --workers 2`. For `--minutes`, each client signs in through the
login form and loops over a mix: the dashboard, a household page, a name search (page loads);
an edit of one member's name through the edit form (with its CSRF token); and, for the
administrator, an upload of a small file of new households. Every `--review-every` seconds
`ansinh review --year 2025` runs beside the server. An error is any answer other than the one
expected (a 5xx, a 4xx, a refused connection) and any review that does not exit 0. At the end
the registry is read back: a lost write is an acknowledged edit whose name is not the last one
the client saw saved, or an acknowledged import's person that is not there.
Prints the counts by kind, p50/p95 latency, errors and lost writes; exit 1 if any.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, select

from ansinh.store.accounts import reset_account
from ansinh.store.db import make_engine
from ansinh.store.models import Household, Person

ANSINH = [sys.executable, "-m", "ansinh"]


@dataclass
class Tally:
    """What all clients did, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    done: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    edits: dict[str, str] = field(default_factory=dict)  # person code -> last name saved
    imported: list[str] = field(default_factory=list)  # person codes acknowledged

    def count(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.done[kind] += 1
            self.times[kind].append(seconds)
            if not ok:
                self.errors[f"{kind} {detail}".strip()] += 1


@dataclass(frozen=True)
class Client:
    username: str
    households: list[tuple[int, str]]  # id, code of a member to edit
    imports: bool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str, env: dict[str, str]) -> None:
    subprocess.run([*ANSINH, *args], env=env, check=True, capture_output=True)


def prepare(env: dict[str, str], households: int, clients: int, password: str) -> list[Client]:
    run("init", env=env)
    run("synth", "--province", "15", "--households", str(households), "--seed", "7", env=env)
    run("review", "--year", "2025", env=env)
    engine = make_engine(url=env["ANSINH_DATABASE_URL"])
    busiest = _busiest(engine, clients - 1)
    made = []
    with engine.begin() as connection:
        reset_account(connection, "soak.tinh", "province_admin", ["15"], password, "soak")
        made.append(Client("soak.tinh", [], True))
        for n, (commune, own) in enumerate(busiest.items()):
            name = f"soak.xa{n}"
            reset_account(connection, name, "commune_officer", [commune], password, "soak")
            made.append(Client(name, own, False))
    engine.dispose()
    return made


def _busiest(engine: Engine, count: int) -> dict[str, list[tuple[int, str]]]:
    with engine.connect() as connection:
        communes = connection.scalars(
            select(Household.commune_code)
            .group_by(Household.commune_code)
            .order_by(func.count().desc())
            .limit(count)
        ).all()
        found: dict[str, list[tuple[int, str]]] = {}
        for commune in communes:
            rows = connection.execute(
                select(Household.id, func.min(Person.code))
                .join(Person, Person.household_id == Household.id)
                .where(Household.commune_code == commune)
                .group_by(Household.id)
                .limit(50)
            ).all()
            found[commune] = [(int(i), str(c)) for i, c in rows]
    return found


def sign_in(http: httpx.Client, username: str, password: str) -> None:
    form = http.get("/login")
    secret = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert secret is not None
    answer = http.post(
        "/login", data={"username": username, "password": password, "login_csrf": secret[1]}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in of {username}: {answer.status_code}")


def timed(tally: Tally, kind: str, call: object, expected: int) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        answer = call()  # type: ignore[operator]
    except httpx.HTTPError as error:
        tally.count(kind, time.perf_counter() - started, False, type(error).__name__)
        return None
    ok = answer.status_code == expected
    tally.count(kind, time.perf_counter() - started, ok, str(answer.status_code))
    return answer if ok else None


def work(base: str, client: Client, password: str, until: float, tally: Tally) -> None:
    rng = random.Random(client.username)
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as http:
        sign_in(http, client.username, password)
        n = 0
        while time.time() < until:
            n += 1
            choice = rng.random()
            if choice < 0.3:
                timed(tally, "page:dashboard", lambda: http.get("/", follow_redirects=True), 200)
            elif choice < 0.5:
                timed(tally, "page:search", lambda: http.get("/search?q=nguyen"), 200)
            elif client.households and choice < 0.8:
                edit(http, client, rng, n, tally)
            elif client.imports and choice < 0.9:
                upload(http, client, n, tally)
            elif client.households:
                hid, _ = rng.choice(client.households)
                timed(tally, "page:household", lambda hid=hid: http.get(f"/households/{hid}"), 200)


def edit(http: httpx.Client, client: Client, rng: random.Random, n: int, tally: Tally) -> None:
    hid, code = rng.choice(client.households)
    form = timed(tally, "page:edit", lambda: http.get(f"/households/{hid}/edit"), 200)
    if form is None:
        return
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    name = f"Soak {client.username} {n}"
    data = {"csrf_token": token[1], f"{code}:full_name": name}
    answer = timed(tally, "edit", lambda: http.post(f"/households/{hid}/edit", data=data), 303)
    if answer is not None:
        with tally.lock:
            tally.edits[code] = name


def upload(http: httpx.Client, client: Client, n: int, tally: Tally) -> None:
    form = http.get("/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    people = [f"SOAK-{client.username}-{n}-{k}" for k in range(3)]
    household = f"SOAKH-{client.username}-{n}"
    lines = ["person_id,household_id,full_name,commune_code,relation"]
    relations = ["head", "spouse", "child"]
    lines += [f"{p},{household},Lò Văn {k},04465,{relations[k]}" for k, p in enumerate(people)]
    files = {"file": ("soak.csv", ("\n".join(lines) + "\n").encode(), "text/csv")}
    answer = timed(
        tally,
        "import",
        lambda: http.post("/import", data={"csrf_token": token[1]}, files=files),
        200,
    )
    if answer is not None:
        with tally.lock:
            tally.imported += people


def reviews(env: dict[str, str], until: float, every: float, tally: Tally) -> None:
    while time.time() + every < until:
        time.sleep(every)
        started = time.perf_counter()
        done = subprocess.run(
            [*ANSINH, "review", "--year", "2025"], env=env, capture_output=True, check=False
        )
        tally.count("review", time.perf_counter() - started, done.returncode == 0, "exit")


def lost_writes(engine: Engine, tally: Tally) -> tuple[int, int]:
    with engine.connect() as connection:
        names = dict(
            connection.execute(
                select(Person.code, Person.full_name).where(Person.code.in_(list(tally.edits)))
            ).all()
        )
        present = set(
            connection.scalars(select(Person.code).where(Person.code.in_(tally.imported)))
        )
    # Names are stored normalised (each word capitalised): compared without case.
    edits = sum(
        1 for code, name in tally.edits.items() if (names.get(code) or "").lower() != name.lower()
    )
    return edits, len(set(tally.imported) - present)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--review-every", type=float, default=120)
    parser.add_argument("--keep", type=Path, help="folder for the registry (default: temporary)")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="ansinh-soak-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"ANSINH_DATABASE_URL": f"sqlite:///{folder / 'ansinh.db'}"}
    password = secrets.token_urlsafe(16)
    clients = prepare(env, options.households, options.clients, password)
    port = free_port()
    server = subprocess.Popen(
        [*ANSINH, "serve", "--port", str(port), "--workers", "2"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(1)
        tally = Tally()
        until = time.time() + options.minutes * 60
        threads = [
            threading.Thread(target=work, args=(base, c, password, until, tally)) for c in clients
        ]
        threads.append(
            threading.Thread(target=reviews, args=(env, until, options.review_every, tally))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=60)
    engine = make_engine(url=env["ANSINH_DATABASE_URL"])
    lost_edits, lost_imports = lost_writes(engine, tally)
    report(options, tally, lost_edits, lost_imports)
    sys.exit(1 if tally.errors or lost_edits or lost_imports else 0)


def report(options: argparse.Namespace, tally: Tally, lost_edits: int, lost_imports: int) -> None:
    print(f"soak: {options.minutes:g} min, {options.households} households, "
          f"{options.clients} clients, ansinh serve --workers 2 (SQLite)")  # fmt: skip
    print(f"{'kind':16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(tally.done):
        times = sorted(tally.times[kind])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{kind:16} {tally.done[kind]:7d} {statistics.median(times) * 1000:8.0f} "
              f"{p95 * 1000:8.0f}")  # fmt: skip
    print(f"errors: {sum(tally.errors.values())} {dict(tally.errors)}")
    print(f"lost writes: {lost_edits} edits of {len(tally.edits)} people, "
          f"{lost_imports} of {len(tally.imported)} imported people")  # fmt: skip


if __name__ == "__main__":
    main()

"""The posting benchmark: the public lists of every commune of a 1,000,000-household province.

Households with their heads (no other members) and villages, and the results of two review
years, are written straight into a fresh SQLite registry (no import: this times the posting, not
the review). Then what `ansinh review post-all --unit 15` produces is timed, one format at a
time: every commune's lists read from the registry in one query (`posted_lists`, also timed
alone) and written as one CSV, XLSX or A4 PDF file a commune (`write_postings`).
Target (issue 15): posting lists and flows ≤ 10 s.
Run: `flock /tmp/ansinh-bench.lock .venv/bin/python bench/review_posting.py --households 1000000`
(`--no-pdf` leaves the PDFs out).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
from sqlalchemy import text

from ansinh.store.db import make_engine
from ansinh.store.posting import posted_lists
from ansinh.store.schema import ensure_ready
from ansinh.workflows.posting import write_postings

YEARS = (2024, 2025)
VILLAGES = 8  # per commune
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Giàng", "Sùng", "Lý", "Vàng", "Lò")
MIDDLE = ("Văn", "Thị", "A", "Seo", "Thị Thu", "Đức")
GIVEN = ("An", "Bình", "Páo", "Mai", "Dế", "Chứ", "Lan", "Sính", "Hùng", "Dung", "Mỷ")


def _case(values: tuple[str, ...], modulus: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE {modulus} % {len(values)} {whens} END"


def fill(engine_url: str, households: int) -> list[str]:
    """Households spread over the province's communes and their villages, each with a head,
    and each year's results: about 10 % poor and 8 % near-poor, drawn again each year."""
    engine = make_engine(url=engine_url)
    ensure_ready(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        communes = [
            str(row[0])
            for row in connection.execute(
                text("SELECT code FROM unit WHERE parent_code = '15' AND level = 'commune'")
            )
        ]
        connection.execute(text("CREATE TEMP TABLE communes (n INTEGER PRIMARY KEY, code TEXT)"))
        connection.execute(
            text("INSERT INTO communes VALUES (:n, :code)"),
            [{"n": i, "code": c} for i, c in enumerate(communes)],
        )
        connection.execute(
            text(
                "INSERT INTO unit (code, parent_code, level, name, division_type, valid_from, "
                "legacy) VALUES (:code, :parent, 'village', :name, 'Thôn', '2025-07-01', 0)"
            ),
            [
                {"code": f"{c}-{v:02d}", "parent": c, "name": f"Thôn {v}"}
                for c in communes
                for v in range(1, VILLAGES + 1)
            ],
        )
        count = len(communes)
        connection.execute(
            text(
                f"""
            WITH RECURSIVE h(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM h WHERE id < :n)
            INSERT INTO household (id, code, commune_code, village_code, updated_at, members,
                workers, meritorious_members)
            SELECT id, 'H' || id, c.code,
                c.code || '-0' || (1 + (id / {count}) % {VILLAGES}), '2026-12-05 00:00:00', 4, 2, 0
            FROM h JOIN communes AS c ON c.n = id % {count}"""
            ),
            {"n": households},
        )
        name = (
            f"{_case(FAMILY, 'id')} || ' ' || {_case(MIDDLE, '(id / 7)')} || ' ' || "
            f"{_case(GIVEN, '(id / 3)')}"
        )
        connection.execute(
            text(
                f"""
            INSERT INTO person (id, code, household_id, full_name, name_folded, relation,
                updated_at)
            SELECT id, 'P' || id, id, {name}, lower({name}), 'head', '2026-12-05 00:00:00'
            FROM household"""
            )
        )
        for number, year in enumerate(YEARS, start=1):
            connection.execute(
                text(
                    "INSERT INTO review_run (id, year, standard_id, provisional, actor, "
                    "started_at, households, current) VALUES (:id, :year, 'vn-2022-2025', 0, "
                    "'bench', '2026-12-05 00:00:00', :n, 1)"
                ),
                {"id": number, "year": year, "n": households},
            )
            draw = f"(id * 48271 * {year - 2000}) % 2147483647 % 100"
            connection.execute(
                text(
                    f"""
                INSERT INTO review_result (run_id, survey_id, household_id, commune_code,
                    village_code, status, deprivation_count, mpi_score, members, workers,
                    meritorious_members, head_ethnicity, mpi_poor, deprivations)
                SELECT {number}, id, id, commune_code, village_code,
                    CASE WHEN {draw} < 10 THEN 'poor' WHEN {draw} < 18 THEN 'near_poor'
                         WHEN {draw} < 40 THEN 'average' ELSE 'none' END,
                    0, 0.0, 4, 2, 0, '01', 0, 0
                FROM household"""
                )
            )
    engine.dispose()
    return communes


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--no-pdf", action="store_true", help="leave the PDF files out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        url = f"sqlite:///{out / 'bench.db'}"
        started = time.perf_counter()
        communes = fill(url, args.households)
        print(f"fill: {time.perf_counter() - started:.1f} s ({args.households:,} households)")
        engine = make_engine(url=url)
        with engine.connect() as connection:
            found: dict[str, pl.DataFrame] = {}
            read_s = _timed(lambda: found.update(posted_lists(connection, communes, 2025)))
            rows = sum(frame.height for frame in found.values())
            print(f"the lists of {len(found):,} communes ({rows:,} rows) read: {read_s:.2f} s")
            for suffix in (".csv", ".xlsx") + (() if args.no_pdf else (".pdf",)):
                started = time.perf_counter()
                write_postings(connection, communes, 2025, out / suffix[1:], suffix)
                spent = time.perf_counter() - started
                print(f"  {suffix[1:]}: {spent:.2f} s (read and write every commune's file)")
        with open("/proc/loadavg") as load:
            print(f"load average: {load.read().strip()}")


if __name__ == "__main__":
    main()

"""The flows benchmark: year-on-year flows of a 1,000,000-household province, timed.

The results of three review years are written straight into a fresh SQLite registry (no
import: this times the flows, not the review), then `year_flows` reads two years and the poor
of the year before, and the flows form and the two movement forms are written as XLSX.
Target (issue 15): ≤ 10 s.
Run: `flock /tmp/ansinh-bench.lock .venv/bin/python bench/review_flows.py --households 1000000`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from ansinh.store.db import make_engine
from ansinh.store.schema import ensure_ready
from ansinh.workflows.review_reports import write_report_form, year_flows

YEARS = (2023, 2024, 2025)
MOVEMENT_FORMS = ("poor_movements", "near_poor_movements")


def fill(engine_url: str, households: int) -> None:
    """Households spread over the province's communes, and each year's results: about 10 %
    poor and 8 % near-poor, drawn again each year from the household id and the year."""
    engine = make_engine(url=engine_url)
    ensure_ready(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        communes = [
            row[0]
            for row in connection.execute(
                text("SELECT code FROM unit WHERE parent_code = '15' AND level = 'commune'")
            )
        ]
        connection.execute(
            text("CREATE TEMP TABLE communes (n INTEGER PRIMARY KEY, code TEXT)"),
        )
        connection.execute(
            text("INSERT INTO communes VALUES (:n, :code)"),
            [{"n": i, "code": c} for i, c in enumerate(communes)],
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
            connection.execute(
                text(
                    f"""
                WITH RECURSIVE h(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM h WHERE id < :n)
                INSERT INTO review_result (run_id, survey_id, household_id, commune_code,
                    village_code, status, deprivation_count, mpi_score, members, workers,
                    meritorious_members, head_ethnicity, mpi_poor, deprivations)
                SELECT {number}, id, id, (SELECT code FROM communes WHERE n = id % {len(communes)}),
                    NULL,
                    CASE WHEN (id * 48271 * {year - 2000}) % 2147483647 % 100 < 10 THEN 'poor'
                         WHEN (id * 48271 * {year - 2000}) % 2147483647 % 100 < 18 THEN 'near_poor'
                         WHEN (id * 48271 * {year - 2000}) % 2147483647 % 100 < 40 THEN 'average'
                         ELSE 'none' END,
                    0, 0.0, 4, 2, 0, '01', 0, 0
                FROM h"""
                ),
                {"n": households},
            )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        fill(url, args.households)
        print(f"fill: {time.perf_counter() - started:.1f} s ({args.households:,} households)")
        engine = make_engine(url=url)
        with engine.connect() as connection:
            started = time.perf_counter()
            flows = year_flows(connection, 2025, "15", "commune")
            flows_s = time.perf_counter() - started
            started = time.perf_counter()
            write_report_form(connection, "flows", 2025, "15", "commune", Path(folder) / "f.xlsx")
            form_s = time.perf_counter() - started
            movements = []
            for form in MOVEMENT_FORMS:
                started = time.perf_counter()
                write_report_form(connection, form, 2025, "15", "commune", Path(folder) / "m.xlsx")
                movements.append(f"{form} {time.perf_counter() - started:.2f} s")
        total = flows.rows.row(-1, named=True)
        print(f"flows: {flows_s:.2f} s; the flows form (XLSX, includes the flows): {form_s:.2f} s")
        print(f"the movement forms (each includes the flows): {', '.join(movements)}")
        print(
            f"province: poor {total['poor_start']:,} → {total['poor_end']:,}, "
            f"fell back {total['fell_back_into_poverty']:,}"
        )
        with open("/proc/loadavg") as load:
            print(f"load average: {load.read().strip()}")


if __name__ == "__main__":
    main()

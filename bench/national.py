"""Several provinces in one registry: each imported in turn, then one review and the national
report, timed, each stage in a process of its own (bench/foundation.py's stages).

`python bench/national.py --provinces 15,08,19 --households 250000 --postgres URL --work DIR`
(the database's public schema is dropped first). The time of each province's import shows how
the import grows with the registry beneath it; with `--review-each` the review and the national
report also run after each province, with the database's size, so that one run shows how each
grows from one province to all of them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from foundation import _empty_postgres, _import, _prepare, _review, run_stage  # type: ignore[import-not-found]


def _synth(work: Path, province: str, households: int, seed: int) -> str:
    from ansinh.synth import generate_province, write_province

    made = generate_province(province, households, seed)
    write_province(made, work)
    return f"{made.name}: {made.people.height:,} people"


def _national_report(url: str) -> str:
    from sqlalchemy import func, select

    from ansinh.store.db import make_engine
    from ansinh.store.models import Household
    from ansinh.store.reports import poverty_report
    from ansinh.store.review import current_run

    engine = make_engine(url=url)
    with engine.connect() as connection:
        run = current_run(connection, None, None)
        assert run is not None
        report = poverty_report(connection, run, "VN", "province")
        held = report.rows.filter(report.rows["households"] > 0)
        households = connection.execute(select(func.count()).select_from(Household)).scalar()
    return f"{held.height - 1} provinces and the nation; {households:,} households held"


def _size(url: str) -> str:
    from sqlalchemy import text

    from ansinh.store.db import make_engine

    with make_engine(url=url).connect() as connection:
        size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
        households = connection.execute(text("SELECT count(*) FROM household")).scalar()
    return f"{households:,} households; database {size / 2**30:.1f} GiB"


def _review_and_report(url: str, year: int) -> None:
    run_stage("size", _size, url)
    run_stage("review", _review, url, year)
    run_stage("national report", _national_report, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provinces", default="15,08,19")
    parser.add_argument("--households", type=int, default=250_000, help="per province")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL (emptied first)")
    parser.add_argument("--work", type=Path, required=True, help="the provinces' files")
    parser.add_argument(
        "--review-each", action="store_true", help="review and report after each province"
    )
    options = parser.parse_args()
    provinces = options.provinces.split(",")
    print(f"{len(provinces)} provinces × {options.households:,} households; PostgreSQL")
    print(f"load average {Path('/proc/loadavg').read_text().strip()}")
    for seed, province in enumerate(provinces, 1):
        folder = options.work / province
        if not (folder / "surveys.csv").exists():
            folder.mkdir(parents=True, exist_ok=True)
            run_stage(f"synth {province}", _synth, folder, province, options.households, seed)
    _empty_postgres(options.postgres)
    run_stage("init", _prepare, options.postgres)
    for province in provinces:
        folder = options.work / province
        run_stage(f"people {province}", _import, options.postgres, folder, "households.csv")
        run_stage(f"surveys {province}", _import, options.postgres, folder, "surveys.csv")
        if options.review_each and province != provinces[-1]:
            _review_and_report(options.postgres, options.year)
    _review_and_report(options.postgres, options.year)
    print(f"load average at the end {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()

"""An import of households onto a registry, timed, then rolled back: the same registry serves
every run, so that two versions of the code can be timed one after the other on it.

    python bench/import_onto.py --url postgresql+psycopg://HOST/DB --file people.csv [--runs 2]

Each run is `ansinh import` of the file (checks, conflicts, plan, writes, statistics) in the
transaction it always has, which this script rolls back instead of committing; the time is to
the end of the last write, before the rollback. A rolled-back import leaves its rows dead in
the tables and their indexes until a vacuum: run `VACUUM` between series if they are long.
Make the file with `ansinh synth --province P --households N --out DIR` (a province the
registry does not hold).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

import ansinh.io.importer as importer
from ansinh.io.importer import import_file
from ansinh.store.db import make_engine


@contextmanager
def _rolled_back(engine: Engine) -> Iterator[Connection]:
    """`store.db.writing` on PostgreSQL, but for the end: the transaction is rolled back."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        _rolled_back.written_at = time.perf_counter()  # type: ignore[attr-defined]
        transaction.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    engine = make_engine(url=args.url)
    with engine.connect() as connection:
        held = connection.scalar(text("SELECT count(*) FROM person"))
    print(f"onto {held:,} people; {args.file.name}")
    importer.writing = _rolled_back  # type: ignore[assignment]
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        result = import_file(engine, args.file, actor="bench")
        seconds = _rolled_back.written_at - started  # type: ignore[attr-defined]
        people = result.counts.get("new_people", 0)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"run {run}: {seconds:.1f} s, {people:,} new people, "
            f"{seconds / max(people, 1) * 1e6:.1f} s per million, peak {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main()

"""Migrations on a big registry: how long each step takes, and how long an officer's edit waits.

    python bench/migration_lock.py --url postgresql+psycopg://HOST/DB [--contrast]

Takes the registry back to 0026_benefit_person_index, or to the revision given with --before
(the downgrade of 0027 drops the name-pair GIN index on person and its function; that of 0028
builds 0027's index again, plainly), then brings it to head as `ansinh init` does
(store.schema.upgrade: the migrations in one transaction, then their late indexes, each after
its fill of a new column a batch at a time, built CONCURRENTLY, and the indexes they replace
dropped), timing the two apart, while a writer changes a random person every 20 ms, each
change a transaction of its own, as officers' edits are. For each step it prints its time and
the writer's waits (median, 99th percentile, longest) and how many edits went through meanwhile.

With --contrast it then builds the same GIN index the plain way, CREATE INDEX in the
migration's transaction as a migration written without store.schema.LateIndex would, under the
same writer, to show the wait that would impose; and drops it again, leaving the registry at
head as it found it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, text

from ansinh.store.db import make_engine
from ansinh.store.schema import (
    alembic_config,
    build_late_indexes,
    held_late_indexes,
    migrating,
    retired_late_indexes,
)

BEFORE = "0026_benefit_person_index"
WRITE_EVERY = 0.02


@dataclass
class Writer:
    """Edits random people until stopped, recording how long each edit took."""

    engine: Engine
    ids: tuple[int, int]
    edits: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        low, high = self.ids
        with self.engine.connect() as connection:
            while not self.stop.is_set():
                started = time.perf_counter()
                connection.execute(
                    text("UPDATE person SET updated_at = now() WHERE id = :id"),
                    {"id": random.randint(low, high)},
                )
                connection.commit()
                self.edits.append((started, time.perf_counter() - started))
                time.sleep(WRITE_EVERY)

    def during(self, name: str, step: Callable[[], None]) -> None:
        """Run `step`; the edits it is charged with are those begun while it ran (an edit it
        blocked ends after it)."""
        started = time.perf_counter()
        step()
        ended = time.perf_counter()
        seconds = ended - started
        while not self.edits or self.edits[-1][0] < ended:
            time.sleep(WRITE_EVERY)
        waits = sorted(wait for begun, wait in self.edits if started <= begun < ended) or [0.0]
        p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
        print(
            f"{name:<44} {seconds:8.1f} s   edits {len(waits):>6,}: median "
            f"{statistics.median(waits) * 1000:6.1f} ms, p99 {p99 * 1000:8.1f} ms, "
            f"longest {waits[-1] * 1000:9.1f} ms",
            flush=True,
        )


def _migrate(engine: Engine, revision: str, down: bool = False) -> None:
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _late(engine: Engine) -> None:
    build_late_indexes(engine, held_late_indexes(engine), retired_late_indexes(engine))


def _plain_index(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE INDEX ix_person_name_pairs_plain ON person "
                "USING gin (name_pairs(name_folded))"
            )
        )


def _drop_plain_index(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_person_name_pairs_plain"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="a PostgreSQL registry at head")
    parser.add_argument("--contrast", action="store_true", help="also build the index plainly")
    parser.add_argument("--before", default=BEFORE, help="the revision to go back to first")
    options = parser.parse_args()
    engine = make_engine(url=options.url)
    with engine.connect() as connection:
        low, high = connection.execute(text("SELECT min(id), max(id) FROM person")).one()
        people = connection.execute(text("SELECT count(*) FROM person")).scalar_one()
    print(f"{people:,} people; load average {Path('/proc/loadavg').read_text().strip()}")
    writer = Writer(make_engine(url=options.url), (low, high))
    thread = threading.Thread(target=writer.run, daemon=True)
    thread.start()
    try:
        writer.during("nothing (the writer alone, 10 s)", lambda: time.sleep(10))
        writer.during(
            f"downgrade to {options.before}", lambda: _migrate(engine, options.before, down=True)
        )
        writer.during("upgrade to head (one transaction)", lambda: _migrate(engine, "head"))
        writer.during("late indexes: fill, CONCURRENTLY, retire", lambda: _late(engine))
        if options.contrast:
            writer.during("the same GIN index, plain CREATE INDEX", lambda: _plain_index(engine))
            writer.during("dropping it", lambda: _drop_plain_index(engine))
    finally:
        writer.stop.set()
        thread.join()
    print(f"load average at the end {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()

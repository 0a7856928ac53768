"""The inspection run as a job: link the registry's people, queue pairs, record overlaps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from ansinh.linkage.linker import DEFAULT_THRESHOLD, make_linker
from ansinh.store.inspection import findings, inspect_registry
from ansinh.workflows.jobs import Outcome, Progress

# The stages a DuckDB linkage run reports (prepare, three trainings, two EM passes, predict,
# cluster): the progress moves one step per stage, and never past 90 % before the run is stored.
LINKAGE_STAGES = 7


def inspection_work(engine: Engine, year: int, actor: str) -> Any:
    """`ansinh inspect --year Y` on DuckDB at the default threshold, for a job."""

    def work(progress: Progress) -> Outcome:
        seen = [0]

        def stage(name: str) -> None:
            seen[0] += 1
            progress(min(90, 5 + 85 * seen[0] // LINKAGE_STAGES), name)

        progress(2, "prepare")
        linker = make_linker("duckdb", stage=stage)
        inspected = inspect_registry(
            engine,
            linker,
            year=year,
            threshold=DEFAULT_THRESHOLD,
            actor=actor,
            engine_name="duckdb",
        )
        with engine.connect() as connection:
            found = findings(connection, inspected.run_id)
        breaches = {str(rule): int(n) for rule, n in found.group_by("rule").len().iter_rows()}
        return Outcome(
            {
                "year": year,
                "run": inspected.run_id,
                "people": inspected.people,
                "pairs": inspected.candidates,
                "warnings": len(inspected.warnings),
                "breaches": dict(sorted(breaches.items())),
            }
        )

    return work

"""The review year in progress `ansinh synth` loads: the same for a seed, every commune at some
stage, a few recognised, a few complaints decided and one overdue, one report sent back, all
within the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select

from ansinh.domain.review_stages import stage_rules
from ansinh.io.importer import import_table
from ansinh.problems import ROW
from ansinh.store.review_complaints import complaints_in
from ansinh.store.review_models import ReviewStage
from ansinh.store.review_returns import open_returns
from ansinh.store.scope import scope_for
from ansinh.synth import generate_province
from ansinh.synth.review_year import review_year
from ansinh.workflows.review_year import load_review_year

COMMUNES = [f"0{n}" for n in range(4000, 4040)]


def test_the_same_seed_gives_the_same_year() -> None:
    assert review_year(COMMUNES, 1, 2025) == review_year(COMMUNES, 1, 2025)
    assert review_year(COMMUNES, 1, 2025) != review_year(COMMUNES, 2, 2025)


def test_every_commune_is_somewhere_and_stays_in_the_window() -> None:
    plans = review_year(COMMUNES, 1, 2025)
    codes = stage_rules().codes
    reached = {p.stages[-1].stage for p in plans}
    assert {"surveyed", "posted", "recognised"} <= reached
    for plan in plans:
        assert [s.stage for s in plan.stages] == codes[: len(plan.stages)]
        days = [s.on for s in plan.stages]
        assert (
            days == sorted(days) and date(2025, 9, 1) <= days[0] and days[-1] <= date(2025, 12, 14)
        )
    complaints = [c for p in plans for c in p.complaints]
    assert len(complaints) == 4 and sum(c.decided_on is None for c in complaints) == 1


def test_loaded_through_the_rules(engine: Engine, tmp_path: Path) -> None:
    made = generate_province("15", 600, 1, 2025)
    for name, frame in (("households.csv", made.people), ("surveys.csv", made.surveys)):
        numbered = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
        import_table(engine, Path(name), numbered, actor="synth", batch=name)
    stages = load_review_year(engine, "15", 1, 2025, "synth", date(2026, 12, 5))
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReviewStage)) == stages > 0
        # one commune's report sent back by the province, shown on its work list
        assert (
            len(
                open_returns(
                    connection, sorted(scope_for(connection, ("15",)).communes or []), 2025
                )
            )
            == 1
        )
        found = complaints_in(connection, None, date(2026, 12, 5), 2025)
    assert [c.standing for c in found].count("overdue") == 1
    assert [c.standing for c in found].count("decided") == len(found) - 1

"""Exit plans in the registry: drafted in bulk after a review, read and edited per household,
summed by unit with their follow-up at the next review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Connection, delete, insert, select, update

from ansinh.domain.poverty.exit_plans import Catalogue, draft_plans
from ansinh.store import frames
from ansinh.store.audit import now, record_change
from ansinh.store.exit_plan_models import ExitPlan, ExitPlanMeasure
from ansinh.store.models import ReviewResult
from ansinh.store.review import RunInfo

PLANNED = ("poor", "near_poor")
_CANDIDATES: dict[str, frames.Column] = {
    "household_id": frames.Small("r.household_id", 31),
    "commune_code": ("r.commune_code", pl.String()),
    "status": ("r.status", pl.String()),
    "workers": frames.Small("r.workers", 15),
    "deprivations": ("COALESCE(r.deprivations, 0)", pl.Int64()),
}


def draft_year_plans(
    connection: Connection,
    run: RunInfo,
    indicators: Sequence[str],
    book: Catalogue,
    target: date,
    actor: str,
    communes: Sequence[str] | None = None,
) -> int:
    """A plan for every poor and near-poor household of the run that has none for the year;
    returns how many. Plans already made (and edited) are left as they are."""
    where = "" if communes is None else _communes_sql(communes)
    candidates = frames.read_columns(
        connection,
        _CANDIDATES,
        "FROM review_result AS r WHERE r.run_id = :run AND r.status IN ('poor', 'near_poor')"
        f"{where} AND NOT EXISTS (SELECT 1 FROM exit_plan AS p "
        "WHERE p.household_id = r.household_id AND p.year = :year)",
        {"run": run.id, "year": run.year},
    )
    if candidates.height == 0:
        return 0
    plans, measures = draft_plans(book, candidates, indicators)
    stamp = now()
    rows = candidates.select("household_id", "commune_code", "status").join(
        plans, on="household_id"
    )
    frames.insert_frame(
        connection,
        ExitPlan.__table__,  # type: ignore[arg-type]
        rows.with_columns(
            pl.lit(run.year).alias("year"),
            pl.col("causes").fill_null(""),
            pl.lit("").alias("helper"),
            pl.lit(target).alias("target_date"),
            pl.lit("").alias("note"),
            pl.lit(actor).alias("updated_by"),
            pl.lit(stamp).alias("updated_at"),
        ),
    )
    ids = frames.read_where_in(
        connection,
        select(ExitPlan.id, ExitPlan.household_id).where(ExitPlan.year == run.year),
        ExitPlan.household_id,
        candidates["household_id"],
        {"plan_id": pl.Int64, "household_id": pl.Int64},
    )
    providers = {m.code: m.provider for m in book.measures}
    frames.insert_frame(
        connection,
        ExitPlanMeasure.__table__,  # type: ignore[arg-type]
        measures.join(ids, on="household_id").select(
            "plan_id",
            "measure",
            "indicator",
            pl.col("measure").replace_strict(providers).alias("provider"),
            pl.lit(target).alias("target_date"),
        ),
    )
    record_change(
        connection,
        actor=actor,
        action="draft",
        entity="exit_plan",
        key=str(run.year),
        after={
            "year": run.year,
            "run": run.id,
            "plans": candidates.height,
            "measures": measures.height,
            "communes": list(communes) if communes else "all",
        },
    )
    return candidates.height


def _communes_sql(communes: Sequence[str]) -> str:
    listed = ", ".join("'" + code.replace("'", "''") + "'" for code in communes)
    return f" AND r.commune_code IN ({listed})"


@dataclass(frozen=True)
class PlanMeasure:
    id: int
    measure: str
    indicator: str | None
    provider: str
    target_date: date
    delivered_on: date | None


@dataclass(frozen=True)
class Plan:
    id: int
    household_id: int
    commune_code: str
    year: int
    status: str
    causes: tuple[str, ...]
    cannot_exit: bool
    helper: str
    target_date: date
    note: str
    updated_by: str
    measures: tuple[PlanMeasure, ...] = field(default=())
    next_status: str | None = None  # at the next year's review, once there is one

    @property
    def exited(self) -> bool | None:
        """Off its list at the next review: poor no longer poor; near-poor neither."""
        if self.next_status is None:
            return None
        left = ("poor",) if self.status == "poor" else PLANNED
        return self.next_status not in left


def household_plans(
    connection: Connection, household_id: int, next_runs: dict[int, int] | None = None
) -> list[Plan]:
    """The household's plans, latest year first, each with its measures and, where the next
    year's result (`next_runs`: year → run id of year + 1) is stored, its follow-up."""
    table, measure_table = ExitPlan.__table__, ExitPlanMeasure.__table__
    plans = connection.execute(
        select(table).where(table.c.household_id == household_id).order_by(table.c.year.desc())
    ).all()
    found = []
    for plan in plans:
        measures = connection.execute(
            select(measure_table)
            .where(measure_table.c.plan_id == plan.id)
            .order_by(measure_table.c.id)
        ).all()
        run = (next_runs or {}).get(plan.year)
        following = None
        if run is not None:
            following = connection.scalar(
                select(ReviewResult.status).where(
                    ReviewResult.run_id == run, ReviewResult.household_id == household_id
                )
            )
        found.append(
            Plan(
                plan.id,
                plan.household_id,
                plan.commune_code,
                plan.year,
                plan.status,
                tuple(filter(None, plan.causes.split(";"))),
                plan.cannot_exit,
                plan.helper,
                plan.target_date,
                plan.note,
                plan.updated_by,
                tuple(
                    PlanMeasure(
                        m.id, m.measure, m.indicator, m.provider, m.target_date, m.delivered_on
                    )
                    for m in measures
                ),
                following,
            )
        )
    return found


@dataclass(frozen=True)
class PlanEdit:
    """What an officer sets on a plan: the whole of it, checked before it comes here."""

    causes: tuple[str, ...]
    cannot_exit: bool
    helper: str
    target_date: date
    note: str
    delivered: dict[int, date | None]  # measure id → delivered on (None: not yet)
    providers: dict[int, str]
    removed: tuple[int, ...] = ()
    added: tuple[tuple[str, str], ...] = ()  # (measure code, provider)


def save_plan(connection: Connection, plan: Plan, edit: PlanEdit, actor: str) -> None:
    """Write the edit and audit it, the plan before and after, in the caller's transaction."""
    before = _audited(plan)
    connection.execute(
        update(ExitPlan)
        .where(ExitPlan.id == plan.id)
        .values(
            causes=";".join(edit.causes),
            cannot_exit=edit.cannot_exit,
            helper=edit.helper,
            target_date=edit.target_date,
            note=edit.note,
            updated_by=actor,
            updated_at=now(),
        )
    )
    mine = {m.id for m in plan.measures}
    for measure_id in mine - set(edit.removed):
        connection.execute(
            update(ExitPlanMeasure)
            .where(ExitPlanMeasure.id == measure_id)
            .values(
                delivered_on=edit.delivered.get(measure_id),
                provider=edit.providers.get(measure_id, ""),
            )
        )
    if edit.removed:
        connection.execute(
            delete(ExitPlanMeasure).where(ExitPlanMeasure.id.in_(set(edit.removed) & mine))
        )
    held = {m.measure for m in plan.measures}
    for code, provider in edit.added:
        if code not in held:
            connection.execute(
                insert(ExitPlanMeasure).values(
                    plan_id=plan.id,
                    measure=code,
                    indicator=None,
                    provider=provider,
                    target_date=edit.target_date,
                    delivered_on=None,
                )
            )
    after = household_plans(connection, plan.household_id)
    changed = next(p for p in after if p.id == plan.id)
    record_change(
        connection,
        actor=actor,
        action="update",
        entity="exit_plan",
        key=str(plan.id),
        before=before,
        after=_audited(changed),
        household_id=plan.household_id,
    )


def _audited(plan: Plan) -> dict[str, object]:
    return {
        "year": plan.year,
        "causes": list(plan.causes),
        "cannot_exit": plan.cannot_exit,
        "helper": plan.helper,
        "target_date": plan.target_date.isoformat(),
        "note": plan.note,
        "measures": {
            m.measure: {
                "provider": m.provider,
                "delivered_on": m.delivered_on.isoformat() if m.delivered_on else None,
            }
            for m in plan.measures
        },
    }


_PLAN_ROWS: dict[str, frames.Column] = {
    "household_id": frames.Small("p.household_id", 31),
    "unit_code": ("p.commune_code", pl.String()),
    "status": ("p.status", pl.String()),
    "cannot_exit": frames.Small("CASE WHEN p.cannot_exit THEN 1 ELSE 0 END", 1, True),
    "measures": frames.Small(
        "(SELECT COUNT(*) FROM exit_plan_measure AS m WHERE m.plan_id = p.id)", 10
    ),
    "delivered": frames.Small(
        "(SELECT COUNT(*) FROM exit_plan_measure AS m WHERE m.plan_id = p.id "
        "AND m.delivered_on IS NOT NULL)",
        10,
    ),
}


def plan_rows(connection: Connection, year: int, next_run: int | None) -> pl.DataFrame:
    """One row per plan of the year: its commune, status, cannot_exit, measures, delivered, and
    the status at the next review (null until there is one)."""
    plans = frames.read_columns(
        connection, _PLAN_ROWS, "FROM exit_plan AS p WHERE p.year = :year", {"year": year}
    )
    if next_run is None or plans.height == 0:
        return plans.with_columns(pl.lit(None, dtype=pl.String).alias("next_status"))
    following = frames.read_columns(
        connection,
        {"household_id": frames.Small("household_id", 31), "next_status": ("status", pl.String())},
        "FROM review_result WHERE run_id = :run",
        {"run": next_run},
    )
    return plans.join(following, on="household_id", how="left")

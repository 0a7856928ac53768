"""Exit plans as officers use them: drafted after the year's review, edited per household
within the officer's communes, reported by unit with their follow-up at the next review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, Engine, select

from ansinh.domain.poverty import load_standard
from ansinh.domain.poverty.exit_plans import Catalogue, catalogue, plans_by_unit
from ansinh.errors import InputError, Problem
from ansinh.io.survey_checks import review_calendar
from ansinh.store.exit_plans import (
    Plan,
    PlanEdit,
    draft_year_plans,
    household_plans,
    plan_rows,
    save_plan,
)
from ansinh.store.models import Unit
from ansinh.store.units import closure_frame, unit_names
from ansinh.workflows.review_years import year_results

MAX_TEXT = 200


def target_day(year: int, book: Catalogue) -> date:
    """The last day of the periodic review `target_years_ahead` after the plan's year."""
    month_day = review_calendar()["default_survey_date"]
    return date.fromisoformat(f"{year + book.target_years_ahead}-{month_day}")


def draft(engine: Engine, year: int, actor: str, communes: Sequence[str] | None = None) -> int:
    """Draft the year's plans (poor and near-poor households without one); returns how many."""
    book = catalogue()
    with engine.begin() as connection:
        unknown = sorted(set(communes or ()) - set(unit_names(connection, set(communes or ()))))
        if unknown:
            raise InputError.single(
                "--commune", f"Không có xã: {', '.join(unknown)}", f"No such commune: {unknown}"
            )
        runs = year_results(connection, [year])
        if year not in runs:
            raise InputError.single(
                "--year",
                f"Chưa có kết quả rà soát năm {year}; hãy chạy `ansinh review --year {year}`",
                f"No review of {year}; run `ansinh review --year {year}`",
            )
        run = runs[year]
        indicators = load_standard(run.standard_id).indicators
        return draft_year_plans(
            connection, run, indicators, book, target_day(year, book), actor, communes
        )


def plans_of(connection: Connection, household_id: int) -> list[Plan]:
    """The household's plans with the follow-up where the next year is reviewed."""
    years = [p.year for p in household_plans(connection, household_id)]
    if not years:  # most households: one statement, not three
        return []
    following = year_results(connection, [y + 1 for y in years])
    next_runs = {y: following[y + 1].id for y in years if y + 1 in following}
    return household_plans(connection, household_id, next_runs)


def plans_report(connection: Connection, year: int, unit: str, level: str) -> pl.DataFrame:
    """Plans made, measures delivered and exits achieved for the units at `level` under `unit`,
    then the unit itself (its total)."""
    following = year_results(connection, [year + 1])
    rows = plan_rows(connection, year, following[year + 1].id if year + 1 in following else None)
    closure = closure_frame(connection)
    summed = plans_by_unit(rows, closure)
    below = closure.filter(pl.col("ancestor_code") == unit)["unit_code"]
    wanted = summed.filter(
        (pl.col("unit_code") == unit)
        | (pl.col("unit_code").is_in(below.implode()) & (pl.col("level") == level))
    )
    names = dict(
        connection.execute(
            select(Unit.code, Unit.name).where(Unit.code.in_(wanted["unit_code"].to_list()))
        ).all()
    )
    return (
        wanted.with_columns(
            pl.col("unit_code").replace_strict(names, default="").alias("unit_name"),
            (pl.col("unit_code") == unit).alias("_total"),
        )
        .sort("_total", "unit_code")
        .drop("_total")
    )


@dataclass(frozen=True)
class PlanForm:
    """The plan form's fields as the browser sends them (all text)."""

    fields: Mapping[str, str]
    causes: Sequence[str]  # the ticked cause codes
    removed: Sequence[str]  # measure ids to remove


def read_edit(plan: Plan, form: PlanForm, book: Catalogue) -> PlanEdit:
    """The officer's edit checked: known causes and measures, real dates, short texts; every
    problem at once (InputError) and nothing changed."""
    problems: list[Problem] = []

    def day(name: str, required: bool) -> date | None:
        text = form.fields.get(name, "").strip()
        if not text:
            if required:
                problems.append(Problem("plan", "Cần ngày", "A date is needed", column=name))
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            problems.append(
                Problem(
                    "plan", f"Ngày không hợp lệ: '{text}'", f"Not a date: '{text}'", column=name
                )
            )
            return None

    def text(name: str) -> str:
        value = form.fields.get(name, "").strip()
        if len(value) > MAX_TEXT:
            problems.append(
                Problem(
                    "plan",
                    f"Dài quá {MAX_TEXT} ký tự",
                    f"Longer than {MAX_TEXT} characters",
                    column=name,
                )
            )
        return value[:MAX_TEXT]

    unknown = [c for c in form.causes if c not in book.cause_codes]
    if unknown:
        problems.append(
            Problem(
                "plan",
                f"Nguyên nhân không có: {unknown}",
                f"Unknown causes: {unknown}",
                column="causes",
            )
        )
    added = form.fields.get("add_measure", "").strip()
    if added and added not in book.measure_codes:
        problems.append(
            Problem(
                "plan",
                f"Không có biện pháp '{added}'",
                f"No measure '{added}'",
                column="add_measure",
            )
        )
    ids = {str(m.id): m.id for m in plan.measures}
    removed = tuple(ids[r] for r in form.removed if r in ids)
    delivered = {m.id: day(f"delivered_{m.id}", False) for m in plan.measures}
    providers = {m.id: text(f"provider_{m.id}") for m in plan.measures}
    target = day("target_date", True)
    helper, note = text("helper"), form.fields.get("note", "").strip()[:2000]
    causes = tuple(c for c in book.cause_codes if c in set(form.causes))
    if problems or target is None:
        raise InputError(problems)
    cannot = any(book.cause(c).cannot_exit for c in causes)
    provider = book.measure(added).provider if added else ""
    return PlanEdit(
        causes,
        cannot,
        helper,
        target,
        note,
        delivered,
        providers,
        removed,
        ((added, provider),) if added else (),
    )


def edit_plan(engine: Engine, household_id: int, plan_id: int, form: PlanForm, actor: str) -> Plan:
    """Check and save an officer's edit of one of the household's plans, audited."""
    book = catalogue()
    with engine.begin() as connection:
        plan = next((p for p in household_plans(connection, household_id) if p.id == plan_id), None)
        if plan is None:
            raise InputError.single("plan", "Không có kế hoạch này", "No such plan")
        save_plan(connection, plan, read_edit(plan, form, book), actor)
        return next(p for p in household_plans(connection, household_id) if p.id == plan_id)

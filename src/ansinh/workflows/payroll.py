"""Payroll runs: a commune's month prepared from its decisions, approved by the province, paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import polars as pl
import yaml
from sqlalchemy import Connection, Engine

from ansinh.domain.benefits.entitlements import entitlements
from ansinh.domain.benefits.loader import rules_version, shipped_rules
from ansinh.domain.benefits.rules import Rules
from ansinh.errors import InputError
from ansinh.store import payroll
from ansinh.store.audit import now, record_change, record_changes
from ansinh.store.db import parents_unchecked
from ansinh.store.payroll_models import LINE_STATUSES
from ansinh.store.scope import Scope

KEY = ["commune_code", "benefit_id", "programme", "category", "person_pk", "month"]


@dataclass(frozen=True)
class Prepared:
    month: date
    runs: pl.DataFrame  # commune_code, run_id, lines, total_vnd
    skipped: list[str]  # communes whose run of the month is approved already

    @property
    def total_vnd(self) -> int:
        return int(self.runs["total_vnd"].sum() or 0)


@lru_cache(maxsize=1)
def lookback_months() -> int:
    text = resources.files("ansinh").joinpath("data", "benefits", "payroll.yaml").read_text("utf-8")
    return int(yaml.safe_load(text)["lookback_months"])


def prepare(
    engine: Engine, month: date, communes: list[str], actor: str, rules: Rules | None = None
) -> Prepared:
    """Prepare each commune's run for `month`: every month owed not yet paid or covered by
    another run, the month's own amounts, arrears and recoveries; a prepared run is replaced,
    an approved one is left alone (and named)."""
    version = rules_version() if rules is None else None
    rules = rules or shipped_rules()
    # The lines are written from the benefits and runs just read and written: SQLite checking
    # their two parents a line took a third of the write at a million lines.
    with engine.connect() as connection, parents_unchecked(connection), connection.begin():
        existing = payroll.runs_of(connection, month, communes)
        skipped = sorted(c for c, r in existing.items() if r.status != "prepared")
        communes = [c for c in communes if c not in skipped]
        stale = [r.id for c, r in existing.items() if c in communes]
        claims = claim_windows(
            payroll.decided_benefits(connection, communes, month),
            payroll.first_runs(connection, communes),
            month,
        )
        claims = _settled(claims, connection, communes, month, version)
        first = _earliest(claims, month)
        due = entitlements(
            claims, rules, first, month, keep=("benefit_id", "person_pk", "commune_code")
        )
        looked_back = claims.filter(pl.col("start") < month)["benefit_id"]
        done = payroll.covered(connection, looked_back, first, month, stale)
        lines = _lines(due, done, month)
        stamp = now()
        runs = payroll.replace_runs(connection, month, lines, stale, actor, stamp, version)
        record_changes(
            connection,
            actor=actor,
            action="prepare",
            entity="payment_run",
            changes=runs.select(
                pl.format("{}/{}", "commune_code", pl.lit(f"{month:%Y-%m}")).alias("entity_key"),
                pl.struct("lines", "total_vnd").struct.json_encode().alias("after"),
                "commune_code",
            ),
            unit_column="commune_code",
        )
    return Prepared(month, runs, skipped)


def claim_windows(claims: pl.DataFrame, first_runs: dict[str, date], month: date) -> pl.DataFrame:
    """Each claim's months to settle: from its first month for a decision dated on or after
    the commune's first run, from that first run otherwise; never before the lookback."""
    go_live = pl.col("commune_code").replace_strict(first_runs, default=month, return_dtype=pl.Date)
    go_live = pl.min_horizontal(go_live, pl.lit(month))
    earliest = _months_before(month, lookback_months())
    late = pl.col("decision_date").is_not_null() & (pl.col("decision_date") >= go_live)
    start = pl.when(late).then(pl.col("start")).otherwise(pl.max_horizontal("start", go_live))
    return claims.with_columns(
        pl.max_horizontal(start, pl.lit(earliest)).alias("start"),
        pl.col("birth_date").str.slice(0, 4).cast(pl.Int32, strict=False).alias("birth_year"),
        pl.when(pl.col("birth_date").str.len_chars() >= 7)
        .then(pl.col("birth_date").str.slice(5, 2).cast(pl.Int32, strict=False))
        .otherwise(1)
        .alias("birth_month"),
    )


def _settled(
    claims: pl.DataFrame,
    connection: Connection,
    communes: list[str],
    month: date,
    version: str | None,
) -> pl.DataFrame:
    """Look back only where a past month can be owed differently: a claim whose commune's last
    run was computed under the same rules, whose decision has not changed since (nor was
    taken after it), and with no line not collected or returned, is settled up to this month.
    Recomputing every claim's lookback made each run cost more than the one before."""
    previous = payroll.previous_runs(connection, communes, month)
    if version is None or not previous:
        return claims
    same_rules = [c for c, p in previous.items() if p.rules_version == version]
    prepared = {c: p.prepared_at.replace(tzinfo=None) for c, p in previous.items()}
    earliest = _earliest(claims, month)
    unpaid = payroll.unpaid_benefits(connection, communes, earliest, month)
    last_run = pl.col("commune_code").replace_strict(
        prepared, default=None, return_dtype=pl.Datetime("us")
    )
    settled = (
        pl.col("commune_code").is_in(same_rules)
        & (pl.col("updated_at").is_null() | (pl.col("updated_at") < last_run))
        & (pl.col("decision_date").cast(pl.Datetime("us")) < last_run).fill_null(True)
        & ~pl.col("benefit_id").is_in(unpaid.implode())
    )
    return claims.with_columns(
        pl.when(settled)
        .then(pl.max_horizontal("start", pl.lit(month)))
        .otherwise("start")
        .alias("start")
    )


def _earliest(claims: pl.DataFrame, month: date) -> date:
    found = claims.select(pl.col("start").min()).item()
    return found if isinstance(found, date) else month


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _lines(due: pl.DataFrame, done: pl.DataFrame, month: date) -> pl.DataFrame:
    """Due minus covered per benefit, category and month owed: the month's own amount, arrears
    of earlier months (positive), recoveries of overpaid ones (negative); nothing when equal."""
    owed = due.select(*KEY, "amount", "base", "coefficient").rename({"amount": "due"})
    both = owed.join(done, on=KEY, how="full", coalesce=True).with_columns(
        pl.col("due").fill_null(0), pl.col("covered").fill_null(0)
    )
    amount = pl.col("due") - pl.col("covered")
    kind = (
        pl.when(pl.col("month") == month)
        .then(pl.lit("due"))
        .when(amount > 0)
        .then(pl.lit("arrears"))
        .otherwise(pl.lit("recovery"))
    )
    return both.filter(amount != 0).with_columns(
        amount.alias("amount"),
        kind.alias("kind"),
        pl.col("base").round(0).cast(pl.Int64),
        pl.col("coefficient").round(4).cast(pl.String),
    )


def approve(engine: Engine, run_id: int, actor: str, scope: Scope) -> payroll.Run:
    """The province approves a prepared run of one of its communes."""
    with engine.begin() as connection:
        run = _run_in_scope(connection, run_id, scope)
        if run.status != "prepared":
            raise InputError.single(
                f"run {run_id}",
                "Chỉ duyệt được bảng lương vừa lập",
                "Only a prepared run can be approved",
            )
        payroll.set_run_status(connection, run_id, "approved", actor, now())
        record_change(
            connection,
            actor=actor,
            action="approve",
            entity="payment_run",
            key=f"{run.commune_code}/{run.month:%Y-%m}",
            after={"lines": run.lines, "total_vnd": run.total_vnd},
            unit_code=run.commune_code,
        )
        found = payroll.get_run(connection, run_id)
    assert found is not None
    return found


def mark(
    engine: Engine, run_id: int, line_ids: list[int], status: str, actor: str, scope: Scope
) -> int:
    """Mark lines of an approved run paid, not collected or returned; a run with no line left
    pending is closed."""
    if status not in LINE_STATUSES[1:]:
        raise InputError.single(
            "status", f"Trạng thái không hợp lệ: {status}", f"Invalid status: {status}"
        )
    with engine.begin() as connection:
        run = _run_in_scope(connection, run_id, scope)
        if run.status == "prepared":
            raise InputError.single(
                f"run {run_id}", "Bảng lương chưa được duyệt", "The run is not approved yet"
            )
        stamp = now()
        changed = payroll.mark_lines(connection, run_id, line_ids, status, actor, stamp)
        record_change(
            connection,
            actor=actor,
            action="mark",
            entity="payment_run",
            key=f"{run.commune_code}/{run.month:%Y-%m}",
            after={"lines": sorted(line_ids), "status": status, "changed": changed},
            unit_code=run.commune_code,
        )
        if payroll.pending_lines(connection, run_id) == 0:
            payroll.set_run_status(connection, run_id, "closed", actor, stamp)
    return changed


def _run_in_scope(connection: Connection, run_id: int, scope: Scope) -> payroll.Run:
    """The run, if it belongs to one of the scope's communes; LookupError otherwise (a 404)."""
    run = payroll.get_run(connection, run_id)
    if run is None or not scope.has_commune(run.commune_code):
        raise LookupError(run_id)
    return run

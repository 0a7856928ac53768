"""What needs attention on the monitoring page, each alert linking to the rows behind it, and
the figures of its two charts (drawn as SVG by the template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import polars as pl
from sqlalchemy import Connection, select

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import allocate, disbursement_curve
from ansinh.domain.monitoring.targets import Status, TargetStatus
from ansinh.store import monitoring as stored
from ansinh.store.models import Unit
from ansinh.store.monitoring import Units

# Disbursement behind the calendar: more than this many points below a straight line from
# 1 January of the plan year to the deadline (31 January of the next year).
BEHIND_POINTS = 0.10


@dataclass(frozen=True)
class Alert:
    kind: str  # lapse, behind, target, missing
    text_vi: str
    text_en: str
    href: str


def rows_link(kind: str, **where: object) -> str:
    return "/monitoring/rows?" + urlencode({"kind": kind} | {k: str(v) for k, v in where.items()})


def expected_share(plan_year: int, as_of: date) -> float:
    """The share of a year's capital a straight disbursement calendar reaches by `as_of`."""
    start = date(plan_year, 1, 1)
    deadline = date.fromisoformat(f"{plan_year + 1}-{catalog.disbursement_deadline()}")
    elapsed = (min(as_of, deadline) - start).days / (deadline - start).days
    return max(0.0, min(1.0, elapsed))


def capital_alerts(connection: Connection, units: Units, as_of: date) -> list[Alert]:
    year = stored.latest_year(connection, stored.PLANS, "plan_year", units)
    if year is None:
        return []
    plans = stored.load_plans(connection, year, units)
    paid = stored.load_disbursements(connection, year, units)
    lines = allocate(plans, paid, as_of)
    alerts = []
    # Law on Public Investment 2019, Art. 68: capital carried into the plan year lapses at its
    # end; the plan year's own capital left after the deadline may be carried one year more.
    own = pl.col("source_year") == year
    left = lines.filter(pl.col("remaining_vnd") > 0).with_columns(
        pl.when(own).then(year + 1).otherwise(year).alias("_lapses")
    )
    by_lapse = left.group_by("programme", "_lapses").agg(pl.sum("remaining_vnd"))
    for programme, lapses, amount in by_lapse.sort("programme", "_lapses").iter_rows():
        gone = as_of > date(lapses, 12, 31)
        vi, en = ("đã hết hạn", "lapsed") if gone else ("hết hạn", "lapses")
        alerts.append(Alert(
            "lapse",
            f"{programme}: {amount / 1e9:,.1f} tỷ đồng vốn kế hoạch {year} chưa giải ngân, "
            f"{vi} ngày 31/12/{lapses} (Luật Đầu tư công 2019, Điều 68)",
            f"{programme}: {amount / 1e9:,.1f} bn VND of the {year} plan not disbursed, "
            f"{en} on 31/12/{lapses} (Public Investment Law 2019, Art. 68)",
            rows_link("plans", plan_year=year, programme=programme),
        ))  # fmt: skip
    expected = expected_share(year, as_of)
    by_programme = lines.group_by("programme").agg(pl.sum("amount_vnd"), pl.sum("disbursed_vnd"))
    for programme, plan, done in by_programme.sort("programme").iter_rows():
        rate = done / plan if plan else 1.0
        if rate < expected - BEHIND_POINTS:
            alerts.append(Alert(
                "behind",
                f"{programme}: giải ngân {rate:.1%} kế hoạch {year}, chậm so với lịch "
                f"({expected:.0%} đến {as_of:%d/%m/%Y})".replace(".", ","),
                f"{programme}: {rate:.1%} of the {year} plan disbursed, behind the calendar "
                f"({expected:.0%} by {as_of:%d/%m/%Y})",
                rows_link("disbursements", plan_year=year, programme=programme),
            ))  # fmt: skip
    return alerts


def target_alerts(results: list[TargetStatus]) -> list[Alert]:
    worrying = (Status.OFF_TRACK, Status.AT_RISK)
    return [
        Alert(
            "target",
            f"{r.target.name} [{r.target.unit_code}]: {r.reason_vi}",
            f"{r.target.name} [{r.target.unit_code}]: {r.reason_en}",
            rows_link("observations", target_id=r.target.target_id, unit_code=r.target.unit_code),
        )
        for r in results
        if r.status in worrying
    ]


def missing_evaluations(connection: Connection, units: Units, year: int) -> list[str]:
    """The registry's communes within `units` with no stored evaluation in `year`."""
    query = select(Unit.code).where(Unit.level == "commune", Unit.valid_to.is_(None))
    if units is not None:
        query = query.where(Unit.code.in_(sorted(units)) | Unit.parent_code.in_(sorted(units)))
    communes = set(connection.scalars(query))
    held = set(stored.load_evaluations(connection, year, units)["commune_code"].to_list())
    return sorted(communes - held)


def evaluation_alerts(connection: Connection, units: Units, year: int) -> list[Alert]:
    missing = missing_evaluations(connection, units, year)
    if not missing:
        return []
    return [Alert(
        "missing",
        f"{len(missing):,} xã chưa có đánh giá tiêu chí nông thôn mới năm {year}",
        f"{len(missing):,} communes have no new-rural evaluation for {year}",
        rows_link("missing-evaluations", year=year),
    )]  # fmt: skip


def alerts(
    connection: Connection, units: Units, as_of: date, results: list[TargetStatus]
) -> list[Alert]:
    year = stored.latest_year(connection, stored.EVALUATIONS, "year", units) or as_of.year
    return [
        *capital_alerts(connection, units, as_of),
        *target_alerts(results),
        *evaluation_alerts(connection, units, year),
    ]


@dataclass(frozen=True)
class Curve:
    """Cumulative disbursement of a plan year against its plan, as (day of window, %) points."""

    plan_year: int
    days: int  # days from 1 January to the deadline
    points: list[tuple[int, float]]
    today: int | None


def disbursement_points(connection: Connection, units: Units, as_of: date) -> Curve | None:
    year = stored.latest_year(connection, stored.PLANS, "plan_year", units)
    if year is None:
        return None
    plans = stored.load_plans(connection, year, units)
    paid = stored.load_disbursements(connection, year, units)
    curve = disbursement_curve(plans, paid, as_of).filter(pl.col("capital_type") == "ALL")
    start = date(year, 1, 1)
    deadline = date.fromisoformat(f"{year + 1}-{catalog.disbursement_deadline()}")
    points = [(0, 0.0)] + [
        ((day - start).days, share * 100)
        for day, share in curve.select("date", "share").iter_rows()
    ]
    today = (as_of - start).days if start <= as_of <= deadline else None
    return Curve(year, (deadline - start).days, points, today)


def criteria_histogram(communes: list[dict[str, object]], total: int) -> list[int]:
    """How many communes meet 0, 1, …, `total` criteria."""
    counts = [0] * (total + 1)
    for commune in communes:
        met = commune["criteria_met"]
        assert isinstance(met, int)
        counts[min(met, total)] += 1
    return counts

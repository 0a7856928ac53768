"""Monitoring pages: target statuses, programme disbursement and NTM criteria, read-only."""

from __future__ import annotations

from datetime import date

import polars as pl
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ansinh.store import monitoring as stored
from ansinh.web.deps import Db, PageViewer, get_lang
from ansinh.web.monitoring import monitoring, observation_rows, programme_names, viewer_units
from ansinh.web.monitoring_alerts import (
    alerts,
    criteria_histogram,
    disbursement_points,
    missing_evaluations,
)
from ansinh.web.templating import render
from ansinh.workflows.monitoring_kinds import kinds_for

router = APIRouter(include_in_schema=False)


@router.get("/monitoring")
def monitoring_page(request: Request, connection: Db, viewer: PageViewer) -> Response:
    units = viewer_units(viewer.scope)
    today = date.today()
    data = monitoring(connection, units, today)
    histogram = criteria_histogram(data.ntm.communes, data.ntm.criteria) if data.ntm else None
    return render(
        request, "monitoring.html", viewer, data=data,
        programmes=programme_names(get_lang(request)),
        kinds=[k.name for k in kinds_for(viewer.role.code)],
        alerts=alerts(connection, units, today, data.targets),
        curve=disbursement_points(connection, units, today), histogram=histogram,
    )  # fmt: skip


# The rows behind an alert: (loader, columns shown) by kind.
@router.get("/monitoring/rows")
def monitoring_rows(
    request: Request, connection: Db, viewer: PageViewer, kind: str = "",
    plan_year: int | None = None, year: int | None = None, programme: str = "",
    target_id: str = "", unit_code: str = "",
) -> Response:  # fmt: skip
    units = viewer_units(viewer.scope)
    if kind == "plans" and plan_year is not None:
        frame = stored.load_plans(connection, plan_year, units)
    elif kind == "disbursements" and plan_year is not None:
        frame = stored.load_disbursements(connection, plan_year, units)
    elif kind == "observations":
        frame = observation_rows(connection, units, target_id, unit_code)
    elif kind == "missing-evaluations" and year is not None:
        codes = missing_evaluations(connection, units, year)
        frame = pl.DataFrame({"commune_code": codes}, schema={"commune_code": pl.String})
    else:
        raise HTTPException(404)
    if programme and "programme" in frame.columns:
        frame = frame.filter(pl.col("programme") == programme)
    return render(
        request, "monitoring_rows.html", viewer, kind=kind, columns=frame.columns,
        rows=frame.head(2000).rows(), total=frame.height, year=year,
    )  # fmt: skip

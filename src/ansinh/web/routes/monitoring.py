"""Monitoring pages: target statuses, programme disbursement and NTM criteria, read-only."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ansinh.web.deps import Db, PageViewer, get_lang
from ansinh.web.monitoring import monitoring, programme_names, viewer_units
from ansinh.web.templating import render
from ansinh.workflows.monitoring_kinds import kinds_for

router = APIRouter(include_in_schema=False)


@router.get("/monitoring")
def monitoring_page(request: Request, connection: Db, viewer: PageViewer) -> Response:
    units = viewer_units(viewer.scope)
    return render(
        request, "monitoring.html", viewer, data=monitoring(connection, units, date.today()),
        programmes=programme_names(get_lang(request)),
        kinds=[k.name for k in kinds_for(viewer.role.code)],
    )  # fmt: skip

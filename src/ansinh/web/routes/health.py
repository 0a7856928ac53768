"""What a load balancer and a browser ask of any site: is it up, and its icon."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from ansinh.web.deps import DbEngine

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz(engine: DbEngine) -> Response:
    """200 when the database answers, 503 otherwise; nothing about the registry's content."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "not ready", never a traceback
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)

"""The application factory: routes, static files, error handling, cookies, on one engine."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ansinh.store.freshness import VersionedCache
from ansinh.store.jobs import fail_dead
from ansinh.web.clients import Proxies
from ansinh.web.errors import Guard, install_handlers
from ansinh.web.request_limits import RequestLimits
from ansinh.web.routes import (
    api,
    api_benefits,
    audit,
    auth,
    benefits,
    exit_plans,
    exports,
    health,
    households,
    imports,
    inspection,
    jobs,
    members,
    monitoring,
    monitoring_data,
    payroll,
    review,
    review_reports,
    search,
    units,
)
from ansinh.web.security import CookiePolicy

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("ansinh.web")


def create_app(
    engine: Engine, *, secure_cookies: bool = True, trusted_proxies: str = ""
) -> FastAPI:
    """The web application on a migrated registry; `secure_cookies` False only on loopback;
    `trusted_proxies`: the reverse proxies whose forwarded headers are believed (web/clients)."""
    app = FastAPI(
        title="An Sinh API",
        version="1",
        description="Sổ hộ gia đình theo phạm vi của tài khoản / the household registry, "
        "within the caller's units.",
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.cookies = CookiePolicy(secure=secure_cookies)
    app.state.proxies = Proxies.parse(trusted_proxies)
    # Rendered dashboards and search results, per worker, until the registry changes
    # (routes/units.py, routes/search.py): a dashboard is about 90 kB, results about 10 kB.
    app.state.pages = VersionedCache(max_entries=256)
    app.state.searches = VersionedCache(max_entries=1024)
    install_handlers(app)
    _fail_dead_jobs(engine)
    app.add_middleware(RequestLimits)  # inside the guard, which stays outermost
    app.add_middleware(Guard)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        health,
        auth,
        units,
        review_reports,
        households,
        exit_plans,
        members,
        search,
        imports,
        exports,
        audit,
        inspection,
        jobs,
        monitoring,
        monitoring_data,
        payroll,
        review,
        benefits,
        api_benefits,
        api,
    ):
        app.include_router(module.router)
    return app


def _fail_dead_jobs(engine: Engine) -> None:
    """A job whose server stopped is failed as this one starts, not left 'running' for ever."""
    try:
        failed = fail_dead(engine)
    except SQLAlchemyError as error:  # a database not answering yet: /healthz says so
        log.warning("jobs not checked at start: %s", type(error).__name__)
        return
    if failed:
        log.warning("%d job(s) of a stopped server marked failed", failed)

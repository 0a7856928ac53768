"""The application factory: routes, static files, error handling, cookies, on one engine."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from ansinh.store.freshness import VersionedCache
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
        search,
        imports,
        exports,
        audit,
        inspection,
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

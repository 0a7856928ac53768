"""Starting the web application from the environment, for `ansinh serve` and its workers."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from ansinh.store.db import make_engine
from ansinh.store.schema import ensure_ready, is_current
from ansinh.store.search import ensure_name_index


class WebSettings(BaseSettings):
    """ANSINH_SECURE_COOKIES: true behind HTTPS (the default off loopback), false on loopback;
    ANSINH_TRUSTED_PROXIES: reverse proxies (addresses or networks, comma-separated) whose
    X-Forwarded-For and X-Forwarded-Proto are believed; none by default."""

    model_config = SettingsConfigDict(env_prefix="ANSINH_", extra="ignore")

    secure_cookies: bool = True
    trusted_proxies: str = ""


def prepare_database(engine: Engine) -> None:
    """Migrate once, before any worker starts: workers that migrate together collide."""
    ensure_ready(engine)
    ensure_name_index(engine)


def create() -> FastAPI:
    """The application on the configured database (a uvicorn factory, one per worker)."""
    from ansinh.web.app import create_app
    from ansinh.web.deps import DB_CONCURRENCY, page_concurrency

    # A connection for every request let in at once, kept warm (ansinh.web.deps).
    engine = make_engine(pool_size=page_concurrency() + DB_CONCURRENCY, memory_map=True)
    if not is_current(engine):
        raise SystemExit("Cơ sở dữ liệu chưa nâng cấp / database not migrated: run `ansinh init`")
    settings = WebSettings()
    return create_app(
        engine, secure_cookies=settings.secure_cookies, trusted_proxies=settings.trusted_proxies
    )

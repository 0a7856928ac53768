"""One typed settings class: every setting is an ANSINH_* environment variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/ansinh.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANSINH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Each process's pool of connections (ANSINH_DB_POOL_SIZE...): every worker of the server
    # and every command keeps its own, so workers x (size + overflow) must stay below the
    # server's max_connections (docs/national.md). None: the caller's default (the web server
    # keeps one per request it lets in at once; SQLAlchemy's default is 5).
    db_pool_size: int | None = None
    db_max_overflow: int = 10
    db_pool_timeout: float = 30.0  # seconds a request waits for a connection before failing
    db_pool_recycle: int = 1800  # seconds before a connection is opened anew (proxies drop idle)
    # How many of the dashboard, household and search pages each worker of the server runs at
    # once (web/deps.py). None: one, the fastest measured with the database on the same machine;
    # more may pay when each statement's answer crosses a slow network.
    page_concurrency: int | None = None
    # How many connections a review on PostgreSQL classifies its households on at once, each a
    # range of them (store/review.py): about the database server's cores. None: two.
    review_parts: int | None = None
    # Who the CLI records in the audit log when no officer is logged in.
    actor: str = "cli"

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :]
        return None if path in ("", ":memory:") else Path(path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""One typed settings class: every setting is an ANSINH_* environment variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/ansinh.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANSINH_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
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

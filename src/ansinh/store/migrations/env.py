"""Alembic environment: runs migrations on the connection An Sinh hands it."""

from alembic import context
from sqlalchemy import create_engine

import ansinh.store.account_models
import ansinh.store.exit_plan_models
import ansinh.store.housing_models
import ansinh.store.job_models
import ansinh.store.payroll_models
import ansinh.store.review_models  # noqa: F401  (registers the jobs, payroll and review tables)
from ansinh.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

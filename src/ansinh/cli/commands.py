"""Registers every command module with the app."""

from ansinh.cli import (  # noqa: F401
    backup,
    benefits,
    database,
    exit_plans,
    inspection,
    monitoring,
    monitoring_data,
    poverty,
    registry,
    review_reports,
    review_stages,
    synth,
    web,
)

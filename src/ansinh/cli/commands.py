"""Registers every command module with the app."""

from ansinh.cli import (  # noqa: F401
    backup,
    benefits,
    exit_plans,
    inspection,
    monitoring,
    monitoring_data,
    poverty,
    registry,
    review_reports,
    synth,
    web,
)

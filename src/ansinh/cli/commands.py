"""Registers every command module with the app."""

from ansinh.cli import (  # noqa: F401
    backup,
    inspection,
    monitoring,
    poverty,
    registry,
    synth,
    web,
)

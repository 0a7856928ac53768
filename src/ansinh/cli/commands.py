"""Registers every command module with the app."""

from ansinh.cli import benefits, inspection, monitoring, poverty, registry, synth, web  # noqa: F401

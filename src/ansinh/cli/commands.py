"""Registers every command module with the app."""

from ansinh.cli import poverty, registry, synth  # noqa: F401

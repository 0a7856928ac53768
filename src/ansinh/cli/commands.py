"""Registers every command module with the app."""

from ansinh.cli import poverty, registry  # noqa: F401

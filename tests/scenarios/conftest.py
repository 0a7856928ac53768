"""The command line fixture, for the scenarios that load files through it."""

from tests.cli.conftest import cli  # noqa: F401

"""What every command shares: clear errors instead of tracebacks, and progress bars."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from ansinh.errors import InputError
from ansinh.store.db import make_engine
from ansinh.store.schema import ensure_ready

P = ParamSpec("P")
R = TypeVar("R")

console = Console(stderr=True)
BAD_INPUT = 2


def report_input_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn InputError into a list of problems on stderr and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as error:
            shown = error.problems[:200]
            for problem in shown:
                console.print(problem.message(), markup=False, highlight=False, soft_wrap=True)
            if len(error.problems) > len(shown):
                more = len(error.problems) - len(shown)
                console.print(f"… và {more} lỗi khác / and {more} more problems", markup=False)
            raise typer.Exit(BAD_INPUT) from None

    return wrapper


def progress() -> Progress:
    """A progress bar on stderr; silent when stderr is not a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def advance_rows(bar: Progress, description: str) -> Callable[[int], None]:
    """A callback that moves a bar of unknown length by the rows written so far."""
    task = bar.add_task(description, total=None)
    return lambda rows: bar.advance(task, rows)


def open_engine() -> Engine:
    """The configured registry, migrated and holding the official units."""
    engine = make_engine()
    ensure_ready(engine)
    return engine

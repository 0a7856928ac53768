"""The gates that let requests of one worker at the database: pages apart from the rest."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import SimpleNamespace
from typing import Any

import pytest

from ansinh.web import deps

admitted = asynccontextmanager(deps._admitted)


def page_admitted(backend: str) -> AbstractAsyncContextManager[None]:
    """The pages' gate as a request to an application on `backend` passes it."""
    engine = SimpleNamespace(dialect=SimpleNamespace(name=backend))
    request: Any = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(engine=engine)))
    return asynccontextmanager(deps._page_admitted)(request)


async def _enters(gate: AbstractAsyncContextManager[None], seconds: float = 0.2) -> bool:
    async def enter() -> None:
        async with gate:
            pass

    try:
        await asyncio.wait_for(enter(), seconds)
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_pages_go_in_while_slow_requests_fill_their_gate(backend: str) -> None:
    async def scenario() -> None:
        async with AsyncExitStack() as held:
            for _ in range(deps.DB_CONCURRENCY):  # exports or imports, say, all running
                await held.enter_async_context(admitted())
            assert not await _enters(admitted())
            assert await _enters(page_admitted(backend))

    asyncio.run(scenario())


@pytest.mark.parametrize(("backend", "at_once"), [("sqlite", 1), ("postgresql", 4)])
def test_a_worker_runs_its_pages_one_at_a_time_on_sqlite(backend: str, at_once: int) -> None:
    """On SQLite the pages' work is the worker's own CPU; on PostgreSQL they wait for the
    server, and the worker runs others meanwhile."""
    assert deps.page_concurrency(backend) == at_once

    async def scenario() -> None:
        async with AsyncExitStack() as held:
            for _ in range(at_once):
                entering = held.enter_async_context(page_admitted(backend))
                await asyncio.wait_for(entering, 0.2)
            assert not await _enters(page_admitted(backend))
        assert await _enters(page_admitted(backend))

    asyncio.run(scenario())

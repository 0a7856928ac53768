"""The gates that let requests of one worker at the database: pages apart from the rest."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack, asynccontextmanager

from ansinh.web import deps

page_admitted = asynccontextmanager(deps._page_admitted)
admitted = asynccontextmanager(deps._admitted)


async def _enters(gate: object, seconds: float = 0.2) -> bool:
    async def enter() -> None:
        async with gate:  # type: ignore[attr-defined]
            pass

    try:
        await asyncio.wait_for(enter(), seconds)
    except TimeoutError:
        return False
    return True


def test_pages_go_in_while_slow_requests_fill_their_gate() -> None:
    async def scenario() -> None:
        async with AsyncExitStack() as held:
            for _ in range(deps.DB_CONCURRENCY):  # exports or imports, say, all running
                await held.enter_async_context(admitted())
            assert not await _enters(admitted())
            assert await _enters(page_admitted())

    asyncio.run(scenario())


def test_pages_go_one_at_a_time() -> None:
    assert deps.PAGE_CONCURRENCY == 1

    async def scenario() -> None:
        async with AsyncExitStack() as held:
            for _ in range(deps.PAGE_CONCURRENCY):
                await held.enter_async_context(page_admitted())
            assert not await _enters(page_admitted())
        assert await _enters(page_admitted())

    asyncio.run(scenario())

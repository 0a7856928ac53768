"""The gates that let requests of one worker at the database: pages apart from the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import pytest

from ansinh.config import get_settings
from ansinh.web import deps

admitted = asynccontextmanager(deps._admitted)


page_admitted = asynccontextmanager(deps._page_admitted)


async def _enters(gate: AbstractAsyncContextManager[None], seconds: float = 0.2) -> bool:
    async def enter() -> None:
        async with gate:
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


@pytest.fixture
def page_concurrency_set(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    monkeypatch.delenv("ANSINH_PAGE_CONCURRENCY", raising=False)  # a developer's shell's
    get_settings.cache_clear()

    def set_to(value: str) -> None:
        monkeypatch.setenv("ANSINH_PAGE_CONCURRENCY", value)
        get_settings.cache_clear()

    yield set_to
    monkeypatch.delenv("ANSINH_PAGE_CONCURRENCY", raising=False)
    get_settings.cache_clear()


@pytest.mark.parametrize(("setting", "at_once"), [(None, 1), ("3", 3), ("0", 1)])
def test_a_worker_runs_its_pages_one_at_a_time_unless_told(
    page_concurrency_set: Callable[[str], None], setting: str | None, at_once: int
) -> None:
    """The pages' work is the worker's own CPU, on either backend: one at a time unless
    ANSINH_PAGE_CONCURRENCY says otherwise (a database server far away)."""
    if setting is not None:
        page_concurrency_set(setting)
    assert deps.page_concurrency() == at_once

    async def scenario() -> None:
        async with AsyncExitStack() as held:
            for _ in range(at_once):
                entering = held.enter_async_context(page_admitted())
                await asyncio.wait_for(entering, 0.2)
            assert not await _enters(page_admitted())
        assert await _enters(page_admitted())

    asyncio.run(scenario())

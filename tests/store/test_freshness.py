"""The data version that caches are keyed on, and the cache that keeps values per version."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.builders import family, survey, write_csv

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store import freshness
from ansinh.store.audit import record_change
from ansinh.store.db import make_engine
from ansinh.store.freshness import DataVersion, VersionedCache, cache_for, data_version
from ansinh.store.review import run_review


def version(engine: Engine) -> DataVersion:
    with engine.connect() as connection:
        return data_version(connection)


def test_the_version_moves_with_every_change_and_review(engine: Engine, tmp_path: Path) -> None:
    before = version(engine)
    assert version(engine) == before  # nothing changed: the same version
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="t")
    imported = version(engine)
    assert imported.last_change > before.last_change
    with engine.begin() as connection:
        record_change(connection, actor="t", action="update", entity="unit", key="15")
    edited = version(engine)
    assert edited.last_change > imported.last_change
    surveys = [survey("H1", 1_500_000, {"water", "sanitation", "telecom"})]
    import_file(engine, write_csv(tmp_path / "surveys.csv", surveys), actor="t")
    run_review(engine, 2025, load_standard("vn-2022-2025"), "t")
    reviewed = version(engine)
    assert reviewed.last_change > edited.last_change and len(reviewed.current_runs) == 1


def test_on_postgresql_a_change_still_uncommitted_is_part_of_the_version(engine: Engine) -> None:
    """An audit id taken by a transaction still open may be lower than one already committed:
    the version must change again when that transaction ends, not only when a new id comes."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as slow:
        transaction = slow.begin()
        record_change(slow, actor="t", action="update", entity="unit", key="slow")
        with engine.begin() as fast:
            record_change(fast, actor="t", action="update", entity="unit", key="fast")
        seen = version(engine)
        assert seen.in_progress != ""
        transaction.commit()
    assert version(engine) != seen


def test_a_value_is_computed_once_per_version_and_key() -> None:
    cache = VersionedCache()
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    first, second = DataVersion(1, (1,)), DataVersion(2, (1,))
    assert cache.get(first, "a", lambda: compute("a1")) == "a1"
    assert cache.get(first, "a", lambda: compute("a2")) == "a1"
    assert cache.get(second, "a", lambda: compute("a3")) == "a3"  # a change: computed again
    assert cache.cached_keys() == ["a"] and calls == ["a1", "a3"]


def test_the_least_recently_used_values_go_first() -> None:
    cache = VersionedCache(max_entries=2)
    now = DataVersion(1, ())
    for key in ("a", "b"):
        cache.get(now, key, lambda k=key: k)
    cache.get(now, "a", lambda: "again")  # a is used: b is now the oldest
    cache.get(now, "c", lambda: "c")
    assert cache.cached_keys() == ["a", "c"]


def test_threads_asking_for_the_same_missing_value_compute_it_once() -> None:
    cache = VersionedCache()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.05)
        return 42

    found: list[int] = []
    threads = [
        threading.Thread(target=lambda: found.append(cache.get(DataVersion(1, ()), "k", slow)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [42] * 8 and len(calls) == 1


def test_each_database_has_its_own_caches(engine: Engine, tmp_path: Path) -> None:
    other = make_engine(url=f"sqlite:///{tmp_path / 'other.db'}")
    assert cache_for(engine, "x") is cache_for(engine, "x")
    assert cache_for(engine, "x") is not cache_for(other, "x")
    with other.connect() as connection:
        connection.execute(text("SELECT 1"))
    other.dispose()


def test_a_timed_cache_keeps_a_value_its_time_and_only_what_it_should(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: clock[0])
    cache = freshness.TimedCache(ttl=60)
    computed: list[str] = []

    def compute(value: str) -> str:
        computed.append(value)
        return value

    assert cache.get("k", lambda: compute("a")) == "a"
    assert cache.get("k", lambda: compute("b")) == "a"  # kept
    clock[0] += 60
    assert cache.get("k", lambda: compute("c")) == "c"  # its time is up
    assert cache.get("e", lambda: compute(""), keep=bool) == ""
    assert cache.get("e", lambda: compute("d"), keep=bool) == "d"  # the empty value was not kept
    assert computed == ["a", "c", "", "d"]


def test_a_timed_cache_computes_a_key_once_while_others_ask_for_it() -> None:
    """Callers with nothing held wait for the one computing; once a value is held, callers
    whose value is old go on with it while one caller computes it again."""
    cache = freshness.TimedCache(ttl=60)
    started, release = threading.Event(), threading.Event()
    computed: list[str] = []

    def slow(value: str) -> str:
        computed.append(value)
        started.set()
        release.wait(5)
        return value

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(cache.get, "k", lambda: slow("a"))
        started.wait(5)
        waiting = [pool.submit(cache.get, "k", lambda: slow("b")) for _ in range(3)]
        release.set()
        assert first.result() == "a" and [w.result() for w in waiting] == ["a"] * 3
    assert computed == ["a"]

    cache._values["k"] = (time.monotonic() - 61, "a")  # its time is up
    started.clear(), release.clear()
    with ThreadPoolExecutor(4) as pool:
        again = pool.submit(cache.get, "k", lambda: slow("c"))
        started.wait(5)
        meanwhile = [cache.get("k", lambda: slow("d")) for _ in range(3)]
        release.set()
        assert again.result() == "c"
    assert meanwhile == ["a"] * 3  # the old value, without waiting
    assert computed == ["a", "c"]
    assert cache.get("k", lambda: slow("e")) == "c"


def test_a_timed_cache_computes_an_old_value_again_behind_the_callers() -> None:
    """With `behind`, a value whose time is up is computed on a thread of its own: the caller
    that found it old goes on at once with it, as the others do, until the new one is held."""
    cache = freshness.TimedCache(ttl=60)
    assert cache.get("k", lambda: "a") == "a"
    cache._values["k"] = (time.monotonic() - 61, "a")  # its time is up
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    callers: list[str] = []

    def behind() -> str:
        callers.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return "b"

    def inline() -> str:
        raise AssertionError("a caller computed it")

    assert cache.get("k", inline, behind=behind) == "a"  # without waiting
    assert started.wait(5)
    assert cache.get("k", inline, behind=behind) == "a"  # computed once, still under way
    release.set()
    for _ in range(100):  # the thread stores its value, then lets the key go
        if cache._values["k"][1] == "b" and not cache._lock("k").locked():
            done.set()
            break
        time.sleep(0.01)
    assert done.is_set()
    assert cache.get("k", inline, behind=behind) == "b"
    assert callers != [threading.current_thread().name] and len(callers) == 1


def test_a_value_that_fails_behind_the_callers_leaves_the_old_one() -> None:
    cache = freshness.TimedCache(ttl=60)
    cache.get("k", lambda: "a")
    cache._values["k"] = (time.monotonic() - 61, "a")

    def fails() -> str:
        raise RuntimeError("the server went away")

    assert cache.get("k", lambda: "x", behind=fails) == "a"
    for _ in range(100):
        if not cache._lock("k").locked():
            break
        time.sleep(0.01)
    assert cache.get("k", lambda: "x", behind=lambda: "c") == "a"  # tried again, behind

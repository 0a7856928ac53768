"""The registry's data version: read in O(1), different after every change, for caches."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, func, select, text

from ansinh.store.models import AuditEntry, ReviewRun

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataVersion:
    """Every change to the registry writes the audit log in its own transaction, so the newest
    audit id moves with every committed change; the current review runs are added because the
    dashboard shows them (a review audits itself too, but this costs nothing)."""

    last_change: int
    current_runs: tuple[int, ...]
    # PostgreSQL only: the transactions in progress. Ids come from a sequence taken before
    # commit, so a change with a lower id may commit after a higher one has been seen; such a
    # change is in progress when it is missed, and its end changes this. SQLite writes one
    # transaction at a time, and needs nothing of the kind.
    in_progress: str = ""


_LAST_CHANGE = select(func.max(AuditEntry.id))
_CURRENT_RUNS = select(ReviewRun.id).where(ReviewRun.current.is_(True)).order_by(ReviewRun.id)
# One statement, so that the newest id and the transactions in progress are read in the same
# snapshot; the current runs with them, a round trip fewer on every page that caches.
_POSTGRES_VERSION = text(
    "SELECT (SELECT max(id) FROM audit_log), "
    "(SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '') "
    "FROM pg_snapshot_xip(pg_current_snapshot()) AS x), "
    "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM review_run WHERE current IS true)"
)


def data_version(connection: Connection) -> DataVersion:
    """The version of everything the connection can see now (indexed reads)."""
    if connection.dialect.name == "postgresql":
        last, in_progress, runs = connection.execute(_POSTGRES_VERSION).one()
        return DataVersion(int(last or 0), tuple(runs), str(in_progress))
    last = connection.scalar(_LAST_CHANGE)
    return DataVersion(int(last or 0), tuple(connection.scalars(_CURRENT_RUNS)))


Key = Hashable
T = TypeVar("T")


class VersionedCache:
    """Values computed from the registry, kept while its data version stays the same.

    A version other than the one held empties the cache (the values of the old one can never
    be asked for again); at most `max_entries` values are kept, the least recently used
    dropped first. Threads asking for the same missing key compute it once: the others wait.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._version: DataVersion | None = None
        self._values: OrderedDict[Key, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[DataVersion, Key], threading.Lock] = {}

    def get(self, version: DataVersion, key: Key, compute: Callable[[], T]) -> T:
        found, value = self._lookup(version, key)
        if found:
            return cast(T, value)
        with self._lock:
            flight = self._computing.setdefault((version, key), threading.Lock())
        with flight:
            found, value = self._lookup(version, key)
            if not found:
                value = compute()
                self._store(version, key, value)
        with self._lock:
            self._computing.pop((version, key), None)
        return cast(T, value)

    def _lookup(self, version: DataVersion, key: Key) -> tuple[bool, Any]:
        with self._lock:
            if version != self._version or key not in self._values:
                return False, None
            self._values.move_to_end(key)
            return True, self._values[key]

    def _store(self, version: DataVersion, key: Key, value: Any) -> None:
        with self._lock:
            if version != self._version:
                self._version = version
                self._values.clear()
            self._values[key] = value
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)

    def cached_keys(self) -> list[Key]:
        """The keys held now, least recently used first."""
        with self._lock:
            return list(self._values)


class TimedCache:
    """Values kept `ttl` seconds each: for what may lag the registry a little and is read more
    often than the data version is worth reading (a viewer's communes, a unit's lineage).

    A key is computed by one thread at a time. When its time is up, one caller computes it
    again while the others go on with the value held. Otherwise, every request that came
    during the computation made it too: at 5,000,000 households, the count of households per
    commune (0.5 s alone) ran eight times at once under the search load, 1.7-3.2 s each, and
    the searches waiting on them made the p99 2.4 s (docs/benchmarks.md)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._values: dict[Key, tuple[float, Any]] = {}
        self._computing: dict[Key, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(
        self,
        key: Key,
        compute: Callable[[], T],
        keep: Callable[[T], bool] | None = None,
        fresh: bool = False,
        behind: Callable[[], T] | None = None,
    ) -> T:
        """The value kept for `key`, or `compute()` (always if `fresh`), kept unless `keep`
        says otherwise. With `behind` (a computation that needs nothing of the caller's, such
        as its connection), a value whose time is up is computed again on a thread of its own
        while the caller goes on with the old one: no request waits for it."""
        if fresh:
            return self._computed(key, compute, keep)
        held = self._values.get(key)
        if held is not None and self._in_time(held):
            return cast(T, held[1])
        computing = self._lock(key)
        if held is None:  # wait for the caller computing it
            computing.acquire()
        elif not computing.acquire(blocking=False):  # another caller computes it again
            return cast(T, held[1])
        handed_over = False  # to the thread computing behind the callers, which releases it
        try:
            held = self._values.get(key)
            if held is not None and self._in_time(held):
                return cast(T, held[1])
            if held is not None and behind is not None:
                thread = threading.Thread(
                    target=self._behind, args=(key, behind, keep, computing), daemon=True
                )
                thread.start()
                handed_over = True
                return cast(T, held[1])
            return self._computed(key, compute, keep)
        finally:
            if not handed_over:
                computing.release()

    def _behind(
        self,
        key: Key,
        compute: Callable[[], T],
        keep: Callable[[T], bool] | None,
        computing: threading.Lock,
    ) -> None:
        try:
            self._computed(key, compute, keep)
        except Exception:  # the old value stays; the next caller whose time is up tries again
            _log.exception("a value computed behind the requests failed")
        finally:
            computing.release()

    def _in_time(self, held: tuple[float, Any]) -> bool:
        return time.monotonic() - held[0] < self.ttl

    def _lock(self, key: Key) -> threading.Lock:
        with self._guard:
            return self._computing.setdefault(key, threading.Lock())

    def _computed(self, key: Key, compute: Callable[[], T], keep: Callable[[T], bool] | None) -> T:
        value = compute()
        if keep is None or keep(value):
            self._values[key] = (time.monotonic(), value)
        return value


_per_engine: WeakKeyDictionary[Engine, dict[str, Any]] = WeakKeyDictionary()
_per_engine_lock = threading.Lock()
C = TypeVar("C")


def _of_engine(engine: Engine, name: str, make: Callable[[], C]) -> C:
    """The engine's cache called `name`: one per database, gone with the engine, so that two
    databases (or a database emptied and filled again, as tests do) never share values."""
    with _per_engine_lock:
        caches = _per_engine.setdefault(engine, {})
        if name not in caches:
            caches[name] = make()
        return cast(C, caches[name])


def cache_for(engine: Engine, name: str, max_entries: int = 256) -> VersionedCache:
    """The engine's versioned cache called `name` (see `_of_engine`)."""
    return _of_engine(engine, name, lambda: VersionedCache(max_entries))


def timed_cache_for(engine: Engine, name: str, ttl: float) -> TimedCache:
    """The engine's timed cache called `name` (see `_of_engine`)."""
    return _of_engine(engine, name, lambda: TimedCache(ttl))


def remembered(engine: Engine, name: str, key: Key, compute: Callable[[], T], keep: int = 2) -> T:
    """`compute()` for `key`, kept in the engine's cache `name` (at most `keep` values) while
    the registry's data version stays the same: for what reads a whole province."""
    with engine.connect() as connection:
        version = data_version(connection)
    return cache_for(engine, name, keep).get(version, key, compute)

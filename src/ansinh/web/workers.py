"""Serving in several processes, each with a listening socket of its own on the same port.

uvicorn's own workers share one socket, and whichever is idle when clients connect takes them:
50 kept-alive connections opened at once were seen split 41 to 9, so that the busier worker's
requests waited four times as long as the other's. With SO_REUSEPORT the kernel gives each new
connection to one of the sockets by a hash of its addresses, which spreads them evenly.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import socket
import sys
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from types import FrameType
from typing import Any

import uvicorn

APP = "ansinh.web.server:create"
# How long a stopping worker may take to finish the requests it holds.
STOP_SECONDS = 30


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on host:port that other sockets may share (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server, telling the supervisor once it serves."""

    def __init__(self, config: uvicorn.Config, ready: Event) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.ready.set()


def _worker(sock: socket.socket, ready: Event, options: dict[str, Any]) -> None:
    # Ctrl+C reaches every process of the terminal: the server stops, then uvicorn raises the
    # signal again on its way out.
    with contextlib.suppress(KeyboardInterrupt):
        _Server(uvicorn.Config(APP, factory=True, **options), ready).run(sockets=[sock])


def serve(host: str, port: int, workers: int, **options: Any) -> None:
    """Run `workers` server processes on host:port until interrupted or terminated; a worker
    that dies is started again on its socket. `options` are uvicorn.Config's."""
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, **options)
        return
    supervisor = Supervisor([listening_socket(host, port) for _ in range(workers)], options)
    previous = {s: signal.signal(s, supervisor.stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        supervisor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Supervisor:
    """One worker process per socket, kept running until told to stop."""

    def __init__(self, sockets: list[socket.socket], options: dict[str, Any]) -> None:
        self.sockets = sockets
        self.options = options
        self.context = multiprocessing.get_context("spawn")
        self.running: dict[int, tuple[BaseProcess, Event]] = {}
        self.stopping = False

    def stop(self, _signal: int = 0, _frame: FrameType | None = None) -> None:
        self.stopping = True

    def run(self) -> None:
        try:
            for index in range(len(self.sockets)):
                self._start(index)
            while not self.stopping:
                self._restart_ended()
        finally:
            self._end_all()

    def _start(self, index: int) -> None:
        ready = self.context.Event()
        arguments = (self.sockets[index], ready, self.options)
        process = self.context.Process(target=_worker, args=arguments)
        process.start()
        self.running[index] = (process, ready)

    def _restart_ended(self) -> None:
        """Wait a second for a worker to end; start again those that ended after serving.

        One that ended before it served failed to start (an unmigrated database, say): it would
        fail again, so the server stops."""
        wait([process.sentinel for process, _ in self.running.values()], timeout=1.0)
        for index, (process, ready) in list(self.running.items()):
            if self.stopping or process.exitcode is None:
                continue
            if not ready.is_set():
                print(
                    f"Tiến trình phục vụ không khởi động được / a worker failed to start "
                    f"(exit code {process.exitcode})",
                    file=sys.stderr,
                )
                raise SystemExit(process.exitcode or 1)
            self._start(index)

    def _end_all(self) -> None:
        processes = [process for process, _ in self.running.values()]
        for process in processes:
            if process.exitcode is None:
                process.terminate()  # SIGTERM: uvicorn finishes the requests it holds
        for process in processes:
            process.join(timeout=STOP_SECONDS)
            if process.exitcode is None:
                process.kill()
        for sock in self.sockets:
            sock.close()

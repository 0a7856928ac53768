"""`ansinh serve --workers N`: processes each on a socket of its own, started and stopped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ansinh.web.workers import listening_socket


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    found = [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]
    return sorted(found)


def _command(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _running(pid: int) -> bool:
    """Whether the process exists and has not ended (an ended one may wait as a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _start(database: Path, *arguments: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = os.environ | {
        "ANSINH_DATABASE_URL": f"sqlite:///{database}",
        "ANSINH_SECURE_COOKIES": "false",
    }
    command = [sys.executable, "-m", "ansinh", *arguments, "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL), port


def _wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_sockets_of_several_workers_listen_on_one_port() -> None:
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        assert second.getsockname()[1] == port
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_two_workers_answer_are_started_again_and_stop_with_the_server(
    sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "ansinh.db")
    server, port = _start(tmp_path / "ansinh.db", "serve", "--workers", "2")
    try:
        _wait_until_up(server, port)
        workers = _children(server.pid)
        # Multiprocessing's resource tracker may be a child too.
        assert len(workers) >= 2
        # New connections, spread over the workers' sockets: twenty answered, both serve.
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200
        # A worker killed is started again on its socket; the connections that reach that
        # socket meanwhile wait for it.
        killed = next(pid for pid in workers if b"resource_tracker" not in _command(pid))
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while set(_children(server.pid)) <= set(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers += [pid for pid in _children(server.pid) if pid not in workers]
        assert len(workers) >= 3
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/login", timeout=30).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
    deadline = time.monotonic() + 10  # the resource tracker ends once the server has
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)


def test_a_worker_that_cannot_start_stops_the_server(tmp_path: Path) -> None:
    """An empty database is not migrated: each worker refuses it, and the server ends instead
    of starting them again and again."""
    port = _free_port()
    env = os.environ | {"ANSINH_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    code = f"from ansinh.web.workers import serve; serve('127.0.0.1', {port}, 2)"
    finished = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, timeout=60, check=False
    )
    assert finished.returncode != 0
    assert b"database not migrated" in finished.stderr

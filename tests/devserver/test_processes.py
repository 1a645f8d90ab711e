"""The supervisor with small real child processes: stopping, escalation, restarts."""

from __future__ import annotations

import io
import sys
import threading
import time

from app.devserver.supervisor import ChildSpec, Supervisor, group_members

STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # a grandchild in the same group
print("ready", flush=True)
time.sleep(120)
"""

CRASHES_ONCE = """
import os, sys, time
marker = sys.argv[1]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(3)
print("second life", flush=True)
time.sleep(120)
"""


def _wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _run_in_background(supervisor: Supervisor) -> tuple[threading.Thread, list[int]]:
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(supervisor.run()), daemon=True)
    thread.start()
    return thread, status


def test_stop_terms_each_group_then_kills_what_ignores_it():
    output = io.StringIO()
    supervisor = Supervisor(
        [
            ChildSpec("stubborn", [sys.executable, "-c", STUBBORN]),
            ChildSpec("sleepy", [sys.executable, "-c", "import time; time.sleep(120)"]),
        ],
        env={},
        stop_timeout=1.0,
        output=output,
    )
    supervisor.start()
    thread, status = _run_in_background(supervisor)
    _wait_for(lambda: "stubborn | ready" in output.getvalue())
    pids = [child.pid for child in supervisor.children]
    assert len(group_members(pids[0])) == 2  # the child and its grandchild share its own group

    started = time.monotonic()
    supervisor.request_stop()
    thread.join(timeout=15)
    assert status == [0]
    assert time.monotonic() - started < 10
    for pid in pids:
        assert group_members(pid) == []
    assert "stubborn did not stop in time; killing it" in output.getvalue()
    assert "sleepy did not stop" not in output.getvalue()


def test_a_child_that_dies_is_restarted(tmp_path):
    output = io.StringIO()
    marker = tmp_path / "crashed-once"
    supervisor = Supervisor(
        [ChildSpec("flaky", [sys.executable, "-c", CRASHES_ONCE, str(marker)])], env={}, stop_timeout=2, output=output
    )
    supervisor.start()
    first_pid = supervisor.children[0].pid
    thread, status = _run_in_background(supervisor)
    _wait_for(lambda: "flaky | second life" in output.getvalue())
    assert "flaky exited with status 3; restarting it" in output.getvalue()
    assert supervisor.children[0].pid != first_pid
    supervisor.request_stop()
    thread.join(timeout=15)
    assert status == [0]


def test_a_child_that_keeps_dying_stops_everything():
    output = io.StringIO()
    supervisor = Supervisor(
        [
            ChildSpec("broken", [sys.executable, "-c", "import sys; sys.exit(2)"]),
            ChildSpec("healthy", [sys.executable, "-c", "import time; time.sleep(120)"]),
        ],
        env={},
        stop_timeout=2,
        max_restarts=2,
        output=output,
    )
    supervisor.start()
    healthy = supervisor.children[1].pid
    status = supervisor.run()
    assert status == 1
    assert "broken exited with status 2 and keeps failing; stopping everything" in output.getvalue()
    assert group_members(healthy) == []

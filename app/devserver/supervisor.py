"""Running the web app, worker and scheduler as children, and stopping them cleanly.

Each child starts in its own session, hence its own process group, so Ctrl-C
in the terminal reaches only the supervisor, which then stops the children in
order: SIGTERM to each whole group (gunicorn's and RQ's own workers included),
then SIGKILL to whatever is still there after ``stop_timeout``. A child that
dies on its own is restarted, unless it keeps dying, in which case everything
stops and ``run`` returns 1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: Sequence[str]


@dataclass
class Child:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    reader: threading.Thread | None = None
    exits: list[float] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


class Supervisor:
    """Starts ``specs`` with ``env`` and keeps them running until asked to stop."""

    def __init__(
        self,
        specs: Sequence[ChildSpec],
        env: Mapping[str, str],
        *,
        stop_timeout: float = 10.0,
        max_restarts: int = 3,
        restart_window: float = 60.0,
        output: IO[str] | None = None,
    ) -> None:
        self.children = [Child(spec) for spec in specs]
        self.env = dict(env)
        self.stop_timeout = stop_timeout
        self.max_restarts = max_restarts
        self.restart_window = restart_window
        self.output = output or sys.stdout
        self.stopping = threading.Event()
        self._force = False
        self._lock = threading.Lock()
        self._width = max(len("rochdale"), *(len(spec.name) for spec in specs))

    # -- output -----------------------------------------------------------

    def say(self, message: str) -> None:
        self._write(f"{'rochdale':>{self._width}} | {message}\n")

    def _write(self, text: str) -> None:
        with self._lock:
            self.output.write(text)
            self.output.flush()

    def _relay(self, child: Child, stream: IO[bytes]) -> None:
        prefix = f"{child.spec.name:>{self._width}} | "
        for raw in iter(stream.readline, b""):
            self._write(prefix + raw.decode("utf-8", errors="replace").rstrip("\n") + "\n")
        stream.close()

    # -- lifecycle --------------------------------------------------------

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        process = subprocess.Popen(  # noqa: S603 - argv is built by rochdale run, never a shell string
            list(child.spec.argv),
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        child.process = process
        assert process.stdout is not None
        child.reader = threading.Thread(target=self._relay, args=(child, process.stdout), daemon=True)
        child.reader.start()
        self.say(f"started {child.spec.name} (pid {process.pid})")

    def request_stop(self, signum: int | None = None, frame: object = None) -> None:
        """Signal handler: the first signal stops gracefully, a second one kills at once."""
        if self.stopping.is_set():
            self._force = True
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.request_stop)

    def run(self) -> int:
        """Supervise until a stop is requested (0) or a child keeps failing (1); then stop all."""
        status = 0
        try:
            while not self.stopping.wait(0.2):
                if not self._check_children():
                    status = 1
                    break
        finally:
            self.stop_all()
        return status

    def _check_children(self) -> bool:
        now = time.monotonic()
        for child in self.children:
            if child.process is None or child.process.poll() is None:
                continue
            code = child.process.returncode
            child.exits = [t for t in child.exits if now - t < self.restart_window] + [now]
            if len(child.exits) > self.max_restarts:
                self.say(f"{child.spec.name} exited with status {code} and keeps failing; stopping everything")
                return False
            self.say(f"{child.spec.name} exited with status {code}; restarting it")
            _signal_group(child.process.pid, signal.SIGKILL)  # anything it left behind
            if self.stopping.wait(1.0):
                return True
            self._spawn(child)
        return True

    def stop_all(self) -> None:
        """SIGTERM every child's process group, then SIGKILL what is left after the timeout."""
        running = [c for c in self.children if c.process is not None]
        if running:
            self.say("stopping " + ", ".join(c.spec.name for c in running))
        for child in running:
            _signal_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            while not self._force and time.monotonic() < deadline and _group_alive(child.process.pid):
                time.sleep(0.05)
            if _group_alive(child.process.pid):
                self.say(f"{child.spec.name} did not stop in time; killing it")
                _signal_group(child.process.pid, signal.SIGKILL)
            try:
                child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.say(f"{child.spec.name} (pid {child.process.pid}) could not be stopped")
        for child in running:
            if child.reader is not None:
                child.reader.join(timeout=2)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies do not count)."""
    return bool(group_members(pgid))


def group_members(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes in process group ``pgid``."""
    import psutil

    members = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                members.append(process.pid)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members

"""kill -9 of a whole worker in the middle of a job: the job runs again, and its effect happens once.

A real ``rochdale worker`` runs in its own process group; RQ's work horse sets
up a process group of its own, so both groups are killed, as when a machine or
container dies. The outbox dispatcher then finds the job overdue and not
locked by any live transaction, and sends it again; a second worker runs it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.workers.conftest import effect_count, outbox_rows, start_cli
from tests.workers.jobs_for_tests import record_effect
from workers.enqueue import enqueue_after_commit
from workers.outbox import dispatch_outbox

WAIT = 30.0


def _start_worker(app, log_path: Path, *extra: str) -> subprocess.Popen:
    return start_cli(app, log_path, "worker", "default", *extra)


def _wait_until(check, what: str, limit: float = WAIT):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}")


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


@pytest.mark.slow
def test_kill_9_mid_job_reruns_it_and_the_effect_happens_once(
    app, committed_db, make_council, redis_conn, superuser_sql, tmp_path
):
    council_id = make_council()
    pause, started = tmp_path / "pause", tmp_path / "started"
    pause.touch()
    enqueue_after_commit(record_effect, "killed", str(pause), str(started), council_id=council_id)
    committed_db.session.commit()
    log_path = tmp_path / "workers.log"

    first = _start_worker(app, log_path)
    horse_pid = None
    try:
        # The job has written its effect (not committed) and is pausing.
        horse_pid = int(_wait_until(lambda: started.exists() and started.read_text(), "the job to start"))
        # The horse called setpgrp(): its group id is its pid.
        _kill_group(first.pid)
        _kill_group(horse_pid)
        first.wait(WAIT)
    finally:
        _kill_group(first.pid)
        if horse_pid is not None:
            _kill_group(horse_pid)
    pause.unlink()

    assert effect_count(superuser_sql, "killed") == 0  # died before its commit
    [(_, status, attempts, _)] = outbox_rows(superuser_sql)
    assert (status, attempts) == ("dispatched", 1)

    # The dispatcher (the scheduler's job) finds it overdue once PostgreSQL has
    # released the dead transaction's row lock, and sends it again.
    later = datetime.now(UTC) + timedelta(hours=1)
    _wait_until(lambda: dispatch_outbox(now=later).sent == 1, "the dispatcher to re-send the job")

    second = _start_worker(app, log_path, "--burst")
    try:
        assert second.wait(WAIT * 2) == 0, log_path.read_text()
    finally:
        _kill_group(second.pid)

    assert effect_count(superuser_sql, "killed") == 1, log_path.read_text()
    [(_, status, attempts, error)] = outbox_rows(superuser_sql)
    assert (status, attempts, error) == ("done", 2, None)

"""kill -9 of a whole worker in the middle of a job: the job runs again, and its effect happens once.

A real ``rochdale worker`` runs in its own process group; RQ's work horse sets
up a process group of its own, so both groups are killed, as when a machine or
container dies. The outbox dispatcher then finds the job overdue and not
locked by any live transaction, and sends it again; a second worker runs it.
"""

from __future__ import annotations

import pytest

from tests.workers.conftest import (
    effect_count,
    kill_worker_tree,
    outbox_rows,
    resend_overdue,
    run_burst_worker,
    start_worker,
    wait_until,
)
from tests.workers.jobs_for_tests import record_effect
from workers.enqueue import enqueue_after_commit


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

    first = start_worker(app, log_path, "default")
    try:
        # The job has written its effect (not committed) and is pausing.
        wait_until(lambda: started.exists() and started.read_text(), "the job to start")
    finally:
        kill_worker_tree(first)  # the worker and its work horse (a process group of its own)
    pause.unlink()

    assert effect_count(superuser_sql, "killed") == 0  # died before its commit
    [(_, status, attempts, _)] = outbox_rows(superuser_sql)
    assert (status, attempts) == ("dispatched", 1)

    # The dispatcher (the scheduler's job) finds it overdue once PostgreSQL has
    # released the dead transaction's row lock, and sends it again.
    resend_overdue(app, 1)
    run_burst_worker(app, log_path, "default")

    assert effect_count(superuser_sql, "killed") == 1, log_path.read_text()
    [(_, status, attempts, error)] = outbox_rows(superuser_sql)
    assert (status, attempts, error) == ("done", 2, None)

"""Progress rows: each report is committed at once and visible from another connection while the job runs."""

from __future__ import annotations

import threading
import time

import pytest

from app.i18n.stored import StoredMessage
from tenants.context import council_context
from tests.workers.jobs_for_tests import count_in_steps, fail_midway
from workers.context import set_worker_app
from workers.enqueue import enqueue_after_commit
from workers.progress import create_run

WAIT = 10.0


def _run_row(superuser_sql, job_id: str) -> tuple | None:
    rows = superuser_sql("SELECT status::text, done, total, message FROM job_runs WHERE job_id = %s", job_id)
    return rows[0] if rows else None


def _wait_for(check, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def job_app(app):
    # The job runs in a thread of its own, outside the test's app context.
    set_worker_app(app)
    yield app
    set_worker_app(None)


def test_progress_is_visible_while_the_job_runs(committed_db, make_council, superuser_sql, job_app, tmp_path):
    council_id = make_council()
    with council_context(council_id):
        job_id = enqueue_after_commit(count_in_steps, 3, str(tmp_path), council_id=council_id)
        create_run(job_id, "test-count")
        committed_db.session.commit()
    assert _run_row(superuser_sql, job_id) == ("queued", 0, None, None)

    errors: list[BaseException] = []

    def _job() -> None:
        try:
            count_in_steps(council_id, 3, str(tmp_path))
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    thread = threading.Thread(target=_job)
    thread.start()
    try:
        for step in (1, 2, 3):
            row = _wait_for(lambda s=step: (r := _run_row(superuser_sql, job_id)) and r[1] == s and r, f"step {step}")
            assert row == ("running", step, 3, f"Counted {step} of 3")
            (tmp_path / f"go-{step}").touch()
    finally:
        for step in (1, 2, 3):
            (tmp_path / f"go-{step}").touch()
        thread.join(WAIT)
    assert not thread.is_alive()
    assert not errors
    assert _run_row(superuser_sql, job_id) == ("finished", 3, 3, "All counted")


def test_a_failing_job_marks_its_run_failed(committed_db, make_council, superuser_sql, job_app):
    council_id = make_council()
    job_id = enqueue_after_commit(fail_midway, 2, council_id=council_id)
    committed_db.session.commit()

    with pytest.raises(RuntimeError, match="deliberate"):
        fail_midway(council_id, 2)
    *row, message = _run_row(superuser_sql, job_id)
    assert row == ["failed", 1, 2]
    assert StoredMessage.from_json(message).english() == "Stopped by an error (RuntimeError)."

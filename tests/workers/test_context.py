"""The job wrapper: council required, effect and DONE mark in one transaction, failures recorded."""

from __future__ import annotations

import logging

import pytest
from rq.job import Job, JobStatus

from tenants.context import NoCouncilError, council_context, current_council_id_or_none
from tests.workers.conftest import effect_count, outbox_rows
from tests.workers.jobs_for_tests import fail_after_writing, global_probe, record_effect
from workers.context import council_job
from workers.enqueue import enqueue_after_commit
from workers.joblog import JobContextFilter


def test_a_council_job_refuses_to_run_with_no_council(committed_db, superuser_sql):
    with pytest.raises(NoCouncilError):
        record_effect(None, "no-council")
    assert effect_count(superuser_sql, "no-council") == 0


def test_a_global_job_refuses_a_council_and_sees_no_council_rows(committed_db, make_council, run_jobs, redis_conn):
    council_id = make_council()
    with pytest.raises(TypeError, match="global job"):
        global_probe(council_id)
    with council_context(council_id):
        enqueue_after_commit(record_effect, "seen-by-nobody", council_id=council_id)
    job_id = enqueue_after_commit(global_probe, council_id=None)
    committed_db.session.commit()
    run_jobs()
    assert Job.fetch(job_id, connection=redis_conn).return_value() == 0


def test_a_failing_job_rolls_back_its_effect_and_records_the_error(
    committed_db, make_council, run_jobs, redis_conn, superuser_sql
):
    council_id = make_council()
    job_id = enqueue_after_commit(fail_after_writing, "failing", council_id=council_id)
    committed_db.session.commit()
    run_jobs()

    assert effect_count(superuser_sql, "failing") == 0
    [(_, status, attempts, error)] = outbox_rows(superuser_sql)
    assert (status, attempts) == ("failed", 1)  # no retry policy: given up at once
    assert error == "RuntimeError: deliberate failure"
    assert Job.fetch(job_id, connection=redis_conn).get_status() == JobStatus.FAILED
    assert current_council_id_or_none() is None  # nothing leaks into the caller


def test_a_job_run_with_no_outbox_row_does_nothing(committed_db, make_council, superuser_sql):
    council_id = make_council()
    # Never enqueued (as when a rolled-back savepoint's job reached Redis anyway).
    assert record_effect(council_id, "orphan") is None
    assert effect_count(superuser_sql, "orphan") == 0


def test_jobs_must_be_module_level_functions():
    with pytest.raises(TypeError, match="module-level"):

        @council_job()
        def nested() -> None:
            """Not importable by name."""


def test_log_records_carry_the_job_and_council(committed_db, make_council, run_jobs, caplog):
    council_id = make_council()
    job_id = enqueue_after_commit(record_effect, "logged", council_id=council_id)
    committed_db.session.commit()
    job_filter = JobContextFilter()
    caplog.handler.addFilter(job_filter)
    try:
        with caplog.at_level(logging.INFO):
            run_jobs()
    finally:
        caplog.handler.removeFilter(job_filter)
    # Records from before the filter was added (the enqueue at commit) carry no stamp.
    during_job = [r for r in caplog.records if getattr(r, "job_id", None) == job_id]
    assert during_job, "no log record was stamped with the job id"
    assert all(r.job_func == "tests.workers.jobs_for_tests.record_effect" for r in during_job)
    assert all(r.council_id == council_id for r in during_job)
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "outside", None, None)
    job_filter.filter(outside)
    assert (outside.job_id, outside.job_func, outside.council_id) == ("-", "-", "-")

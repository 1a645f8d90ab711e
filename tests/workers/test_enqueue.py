"""enqueue_after_commit: nothing on rollback, one job per id, and the outbox makes Redis loss harmless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue
from rq.job import Job

from tests.workers.conftest import effect_count, outbox_rows
from tests.workers.jobs_for_tests import global_probe, record_effect
from workers.enqueue import enqueue_after_commit
from workers.outbox import dispatch_outbox
from workers.queues import DEFAULT, EMAILS
from workers.spec import EXTERNAL_RETRY, rq_job_id

LATER = datetime.now(UTC) + timedelta(days=1)


def _queued(redis_conn, name: str = DEFAULT) -> list[str]:
    return Queue(name, connection=redis_conn).get_job_ids()


def test_a_rollback_sends_nothing(committed_db, make_council, redis_conn, superuser_sql):
    council_id = make_council()
    enqueue_after_commit(record_effect, "rolled-back", council_id=council_id)
    committed_db.session.rollback()

    assert outbox_rows(superuser_sql) == []
    assert redis_conn.keys("rq:job:*") == []
    assert _queued(redis_conn) == []


def test_a_rolled_back_savepoint_sends_nothing_but_the_rest_is_sent(committed_db, make_council, redis_conn):
    council_id = make_council()
    session = committed_db.session
    kept = enqueue_after_commit(record_effect, "kept", council_id=council_id)
    savepoint = session.begin_nested()
    enqueue_after_commit(record_effect, "dropped", council_id=council_id)
    savepoint.rollback()
    session.commit()

    assert _queued(redis_conn) == [kept]


def test_commit_sends_the_job_and_marks_it_dispatched(committed_db, make_council, redis_conn, superuser_sql):
    council_id = make_council()
    job_id = enqueue_after_commit(record_effect, "sent", council_id=council_id)
    assert _queued(redis_conn) == []  # not before the commit
    committed_db.session.commit()

    assert _queued(redis_conn) == [job_id]
    job = Job.fetch(job_id, connection=redis_conn)
    assert job.func_name == "tests.workers.jobs_for_tests.record_effect"
    assert job.args == [council_id, "sent"]
    assert job.timeout == 20
    assert job.failure_ttl is not None
    [(row_id, status, attempts, _)] = outbox_rows(superuser_sql)
    assert (row_id, status, attempts) == (job_id, "dispatched", 0)


def test_the_default_job_id_is_deterministic_and_rq_valid(committed_db, make_council):
    council_id = make_council()
    job_id = enqueue_after_commit(record_effect, "a:b/c", council_id=council_id)
    assert job_id == rq_job_id(f"tests.workers.jobs_for_tests.record_effect:{council_id}:a:b/c")
    assert job_id.startswith(f"tests_workers_jobs_for_tests_record_effect_{council_id}_a_b_c-")
    assert rq_job_id("plain-id_1") == "plain-id_1"
    committed_db.session.rollback()


def test_a_duplicate_enqueue_runs_once(committed_db, make_council, redis_conn, run_jobs, superuser_sql):
    council_id = make_council()
    session = committed_db.session
    first = enqueue_after_commit(record_effect, "twice", council_id=council_id)
    again = enqueue_after_commit(record_effect, "twice", council_id=council_id)
    session.commit()
    # And once more, in a later transaction, before and after the job ran.
    later = enqueue_after_commit(record_effect, "twice", council_id=council_id)
    session.commit()

    assert first == again == later
    assert _queued(redis_conn) == [first]
    run_jobs()
    enqueue_after_commit(record_effect, "twice", council_id=council_id)
    session.commit()
    run_jobs()
    # A stray second delivery of the same job (RQ at-least-once) does nothing either.
    record_effect(council_id, "twice")

    assert effect_count(superuser_sql, "twice") == 1
    [(_, status, attempts, _)] = outbox_rows(superuser_sql)
    assert (status, attempts) == ("done", 1)


def test_job_arguments_must_be_ids_and_primitives(committed_db, make_council):
    council_id = make_council()
    with pytest.raises(TypeError, match="ids or primitives"):
        enqueue_after_commit(record_effect, datetime.now(UTC), council_id=council_id)
    with pytest.raises(TypeError, match="ids or primitives"):
        enqueue_after_commit(record_effect, ["a", "list"], council_id=council_id)
    with pytest.raises(TypeError, match="council job"):
        enqueue_after_commit(record_effect, "x", council_id=None)
    with pytest.raises(TypeError, match="global job"):
        enqueue_after_commit(global_probe, council_id=council_id)
    with pytest.raises(TypeError, match="not a job"):
        enqueue_after_commit(print, council_id=council_id)
    with pytest.raises(ValueError, match="unknown queue"):
        enqueue_after_commit(record_effect, "x", council_id=council_id, queue="nope")


def test_queue_and_retry_can_be_overridden(committed_db, make_council, redis_conn):
    council_id = make_council()
    job_id = enqueue_after_commit(record_effect, "r", council_id=council_id, queue=EMAILS, retry=EXTERNAL_RETRY)
    committed_db.session.commit()
    job = Job.fetch(job_id, connection=redis_conn)
    assert job.origin == EMAILS
    assert job.retries_left == 3
    assert job.retry_intervals == [10, 60, 300]


def test_redis_flushed_with_work_pending_is_resent_and_runs_once(
    committed_db, make_council, redis_conn, run_jobs, superuser_sql
):
    council_id = make_council()
    job_id = enqueue_after_commit(record_effect, "flushed", council_id=council_id)
    committed_db.session.commit()
    redis_conn.flushdb()  # Redis loses everything

    assert dispatch_outbox().sent == 0  # not yet overdue
    report = dispatch_outbox(now=LATER)
    assert report.sent == 1
    assert _queued(redis_conn) == [job_id]
    assert dispatch_outbox(now=LATER).waiting == 1  # queued again: not sent twice
    run_jobs()

    assert effect_count(superuser_sql, "flushed") == 1
    assert outbox_rows(superuser_sql)[0][1] == "done"
    assert dispatch_outbox(now=LATER).sent == 0  # done rows are left alone


def test_redis_down_at_commit_leaves_the_job_pending_for_the_dispatcher(
    committed_db, make_council, redis_conn, run_jobs, superuser_sql, app, monkeypatch
):
    council_id = make_council()
    real_url = app.config["REDIS_URL"]
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    enqueue_after_commit(record_effect, "redis-down", council_id=council_id)
    committed_db.session.commit()  # the commit itself succeeds
    assert outbox_rows(superuser_sql)[0][1] == "pending"

    monkeypatch.setitem(app.config, "REDIS_URL", real_url)
    assert dispatch_outbox(now=LATER).sent == 1
    run_jobs()
    assert effect_count(superuser_sql, "redis-down") == 1


def test_an_ended_rq_job_left_from_an_earlier_outbox_row_does_not_swallow_new_work(
    committed_db, make_council, redis_conn, run_jobs, superuser_sql
):
    """Ids repeat after a database restore or reset; an ended RQ job under the same id must not block the new one."""
    council_id = make_council()
    session = committed_db.session
    job_id = enqueue_after_commit(record_effect, "restored", council_id=council_id)
    session.commit()
    run_jobs()
    assert Job.fetch(job_id, connection=redis_conn).get_status() == "finished"
    # The database forgets (restore from an older backup); Redis still holds the finished job.
    superuser_sql("DELETE FROM job_outbox")
    enqueue_after_commit(record_effect, "restored", council_id=council_id)
    session.commit()
    run_jobs()
    assert effect_count(superuser_sql, "restored") == 2
    [(_, status, _, _)] = outbox_rows(superuser_sql)
    assert status == "done"

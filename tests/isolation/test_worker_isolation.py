"""The tenancy worker test: jobs for two councils, back to back on one worker, each see only their own."""

from __future__ import annotations

import pytest
from rq.job import Job

from tenants.context import NoCouncilError, council_context, current_council_id_or_none
from tenants.models import Neighbourhood
from tests.workers import conftest as worker_fixtures
from tests.workers.jobs_for_tests import record_effect, what_can_i_see
from workers.enqueue import enqueue_after_commit

# The job-test fixtures, shared with tests/workers/.
make_council = worker_fixtures.make_council
redis_conn = worker_fixtures.redis_conn
run_jobs = worker_fixtures.run_jobs


def _seed(db, council_id: int, name: str) -> None:
    with council_context(council_id):
        db.session.add(Neighbourhood(name=name))
        db.session.commit()


def test_jobs_for_two_councils_back_to_back_see_only_their_own(committed_db, make_council, run_jobs, redis_conn):
    council_a = make_council("worker-isolation-a")
    council_b = make_council("worker-isolation-b")
    _seed(committed_db, council_a, "canary-A")
    _seed(committed_db, council_b, "canary-B")
    # Interleave: A, B, A, B on one worker, one process, one connection pool.
    job_ids = [
        enqueue_after_commit(what_can_i_see, council_id=council, job_id=f"isolation-{council}-{n}")
        for n, council in enumerate((council_a, council_b, council_a, council_b))
    ]
    committed_db.session.commit()
    run_jobs()

    for job_id, council, canary in zip(
        job_ids, (council_a, council_b, council_a, council_b), ("canary-A", "canary-B") * 2, strict=True
    ):
        seen = Job.fetch(job_id, connection=redis_conn).return_value()
        assert seen == {"council_id": council, "orm": [canary], "raw": [canary], "raw_councils": [council]}
    assert current_council_id_or_none() is None


def test_a_job_writes_only_into_its_own_council(committed_db, make_council, run_jobs, superuser_sql):
    council_a = make_council("worker-writes-a")
    council_b = make_council("worker-writes-b")
    enqueue_after_commit(record_effect, "written-a", council_id=council_a)
    enqueue_after_commit(record_effect, "written-b", council_id=council_b)
    committed_db.session.commit()
    run_jobs()
    rows = superuser_sql("SELECT council_id, split_part(name, ' ', 1) FROM neighbourhoods ORDER BY 1")
    assert rows == [(council_a, "written-a"), (council_b, "written-b")]


def test_a_council_job_with_no_council_is_refused(committed_db):
    with pytest.raises(NoCouncilError):
        what_can_i_see(None)
    with pytest.raises(TypeError, match="council job"):
        enqueue_after_commit(what_can_i_see, council_id=None)

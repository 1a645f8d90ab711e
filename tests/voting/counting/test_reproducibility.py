"""T-2.6 and T-4.1: the same papers give the same SHA-256 however, wherever and how often they are counted.

* twice, and on another worker (an in-process worker and a ``rochdale worker``
  subprocess);
* after exporting the anonymous papers to BLT or Pabulib and recounting the
  file with the shell's code (``count_file``);
* after ``kill -9`` of the worker in the middle of a count: one result, with
  the hash of an uninterrupted run.
"""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.voting.counting import current_result, request_count, run_count
from app.voting.exports import ballots_blt, ballots_pb
from app.voting.models import Ballot, BallotKind, BallotStatus
from app.voting.tally import count_file
from tenants.context import council_context
from tests.voting.counting.elections import CANDIDATES, LINES, PROJECTS, approval_papers, division_papers, ranked_papers
from tests.voting.counting.jobs_for_tests import count_with_pause
from tests.workers.conftest import kill_worker_tree, resend_overdue, run_burst_worker, start_worker, wait_until
from workers.enqueue import enqueue_after_commit
from workers.jobs.counting import count_ballot

CASES = {
    "stv": (BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, "ranked", {}),
    "irv": (BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, "ranked", {"method": "irv"}),
    "meek": (BallotKind.RANKED, "meek", CANDIDATES, {"seats": 3}, "ranked", {"method": "meek"}),
    "mes-add1": (BallotKind.PB, "mes-add1", PROJECTS, {"budget_pence": 5_000_000, "utility": "cost"}, "pb", {}),
    "mes-approval": (
        BallotKind.PB,
        "mes",
        PROJECTS,
        {"budget_pence": 5_000_000, "utility": "approval"},
        "pb",
        {"method": "mes", "utility": "approval"},
    ),
    "greedy": (
        BallotKind.PB,
        "greedy",
        PROJECTS,
        {"budget_pence": 6_000_000, "utility": "cost"},
        "pb",
        {"method": "greedy"},
    ),
    "approval": (
        BallotKind.APPROVAL,
        "approval",
        PROJECTS,
        {"seats": 2, "max_approvals": 5},
        "pb",
        {"method": "approval"},
    ),
    "mean": (
        BallotKind.DIVISION,
        "mean",
        LINES,
        {"budget_pence": 10_000, "floors": {"arts": 1500}, "ceilings": {"clubs": 7000}},
        "div",
        {"method": "mean"},
    ),
    "markets": (
        BallotKind.DIVISION,
        "markets",
        LINES,
        {"budget_pence": 10_000, "floors": {}, "ceilings": {}},
        "div",
        {"method": "markets"},
    ),
}


def _papers(shape: str, seed: int) -> list:
    rng = random.Random(seed)
    if shape == "ranked":
        return ranked_papers(rng, 300)
    if shape == "pb":
        return [p for p in approval_papers(rng, 300) if len(p) <= 5]
    return division_papers(rng, 80, 10_000)


@pytest.mark.parametrize("lot", [False, True], ids=["lexicographic", "lot"])
@pytest.mark.parametrize("case", list(CASES))
def test_export_and_recount_gives_the_published_hash(db, create_council, make_ballot, tmp_path, case, lot):
    kind, method, options, params, shape, cli = CASES[case]
    seed = "9f2c1e7a" if lot else None
    council = create_council()
    with council_context(council.id):
        made = make_ballot(
            kind,
            method,
            options,
            params,
            _papers(shape, 11),
            tie_break_rule="lot" if lot else "lexicographic",
            tie_break_seed=seed,
        )
        run_count(made.ballot.id)
        stored = current_result(made.ballot)
        if kind is BallotKind.RANKED:
            path = tmp_path / "ballots.blt"
            path.write_text(ballots_blt(made.ballot))
        else:
            path = tmp_path / "ballots.pb"
            path.write_text(ballots_pb(made.ballot, unit=council.name))
    recount = count_file(path, seed=seed, **cli).tally
    assert recount.sha256 == stored.sha256
    assert recount.document.decode() == stored.document


def test_counting_is_independent_of_the_order_papers_arrive_in(db, create_council, make_ballot):
    council = create_council()
    papers = ranked_papers(random.Random(5), 400)
    hashes = set()
    with council_context(council.id):
        for order in range(3):
            shuffled = papers[:]
            random.Random(order).shuffle(shuffled)
            made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, shuffled)
            hashes.add(run_count(made.ballot.id).sha256)
    assert len(hashes) == 1


def _twin_ballots(committed_db, make_ballot, council_id, papers, n=2):
    with council_context(council_id):
        ids = [make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, papers).ballot.id for _ in range(n)]
    committed_db.session.commit()
    return ids


def _stored(committed_db, council_id, ballot_id):
    with council_context(council_id):
        ballot = committed_db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        result = current_result(ballot)
        out = (ballot.status, result.sha256 if result else None, result.document if result else None)
        committed_db.session.rollback()
        return out


@pytest.mark.slow
def test_counted_twice_and_on_another_worker_the_hash_is_the_same(
    app, committed_db, make_council, make_ballot, run_jobs, redis_conn, superuser_sql, tmp_path
):
    council_id = make_council()
    first, second = _twin_ballots(committed_db, make_ballot, council_id, ranked_papers(random.Random(3), 500))

    # The officer's button: enqueued after commit under a deterministic id, run in this process.
    with council_context(council_id):
        ballot = committed_db.session.scalar(select(Ballot).where(Ballot.id == first))
        job_id = request_count(ballot, actor_user_id=None)
        assert request_count(ballot, actor_user_id=None) == job_id  # asking twice is one job
    committed_db.session.commit()
    run_jobs(["reports"])
    status, sha_here, document = _stored(committed_db, council_id, first)
    assert status is BallotStatus.COUNTED and sha_here

    # The twin ballot on a real worker process; then a forced rerun of the first there too.
    with council_context(council_id):
        enqueue_after_commit(count_ballot, second, council_id=council_id)
        enqueue_after_commit(count_ballot, first, council_id=council_id, job_id=f"rerun-{first}")
    committed_db.session.commit()
    log_path = tmp_path / "worker.log"
    run_burst_worker(app, log_path, "reports")
    status, sha_there, document_there = _stored(committed_db, council_id, second)
    assert (status, sha_there, document_there) == (BallotStatus.COUNTED, sha_here, document)
    # The rerun found the stored result equal: still one result, no mismatch.
    assert superuser_sql("SELECT count(*) FROM voting_results WHERE ballot_id = %s", first)[0][0] == 1
    assert superuser_sql("SELECT count(*) FROM audit_events WHERE action = 'ballot.recount_mismatch'")[0][0] == 0
    done = superuser_sql("SELECT status::text FROM job_outbox WHERE job_id = %s", f"rerun-{first}")
    assert done == [("done",)], log_path.read_text()


@pytest.mark.slow
def test_kill_9_mid_count_leaves_one_result_with_the_uninterrupted_hash(
    app, committed_db, make_council, make_ballot, run_jobs, redis_conn, superuser_sql, tmp_path
):
    council_id = make_council()
    killed, control = _twin_ballots(committed_db, make_ballot, council_id, ranked_papers(random.Random(8), 800))

    # The uninterrupted run.
    with council_context(council_id):
        enqueue_after_commit(count_ballot, control, council_id=council_id)
    committed_db.session.commit()
    run_jobs(["reports"])
    _, control_sha, _ = _stored(committed_db, council_id, control)

    pause, started = tmp_path / "pause", tmp_path / "started"
    pause.touch()
    with council_context(council_id):
        enqueue_after_commit(count_with_pause, killed, str(pause), str(started), council_id=council_id)
    committed_db.session.commit()
    log_path = tmp_path / "workers.log"
    first = start_worker(app, log_path, "reports")
    try:
        wait_until(lambda: started.exists() and started.read_text(), "the count to reach its pause")
    finally:
        kill_worker_tree(first)  # the worker and its work horse (a process group of its own)
    pause.unlink()
    started.unlink()
    assert superuser_sql("SELECT count(*) FROM voting_results WHERE ballot_id = %s", killed)[0][0] == 0

    resend_overdue(app, 1)
    run_burst_worker(app, log_path, "reports")

    rows = superuser_sql("SELECT sha256 FROM voting_results WHERE ballot_id = %s", killed)
    assert rows == [(control_sha,)], log_path.read_text()
    status = superuser_sql("SELECT status::text FROM voting_ballots WHERE id = %s", killed)
    assert status == [("counted",)]
    counted = superuser_sql(
        "SELECT count(*) FROM audit_events WHERE action = 'ballot.counted' AND subject_id = %s", str(killed)
    )
    assert counted == [(1,)]
    runs = superuser_sql("SELECT status::text, done, total FROM job_runs WHERE kind = 'voting.count'")
    assert ("finished", 3, 3) in runs


def test_the_stored_document_is_what_the_json_download_and_the_audit_entry_name(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, ranked_papers(random.Random(4), 50))
        run_count(made.ballot.id)
        result = current_result(made.ballot)
        body = json.loads(result.document)
        assert body["method"] == "stv-scottish" and "sha256" not in body
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ballot.counted"))
        assert event.payload["sha256"] == result.sha256

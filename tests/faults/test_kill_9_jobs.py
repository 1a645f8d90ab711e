"""kill -9 of a real ``rochdale worker`` in the middle of real jobs: each completes once after restart.

No test hooks in the jobs: the test holds a PostgreSQL lock (as the superuser)
on something the job writes late, waits until the job's backend is waiting on
it (``pg_stat_activity.wait_event_type = 'Lock'``), kills the worker and its
work horse (process groups), and releases the lock. The dead transaction rolls
back, the outbox dispatcher re-sends the job, and a second worker finishes it.
The results are compared with an uninterrupted run.
"""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.governance.meetings import operations as meetings
from app.residents import imports
from app.residents.models import ImportKind, ImportMode
from app.voting.counting import request_count
from app.voting.models import Ballot, BallotKind
from tenants.context import council_context
from tests.governance.meetings.conftest import add_resolution, make_meeting
from tests.voting.counting.elections import CANDIDATES, ranked_papers
from tests.workers.conftest import (
    MailSink,
    free_port,
    held_lock,
    kill_worker_tree,
    outbox_rows,
    resend_overdue,
    run_burst_worker,
    start_worker,
    wait_for_lock_wait,
    wait_until,
)
from workers.email import queue_email
from workers.enqueue import enqueue_after_commit
from workers.jobs.counting import count_ballot

pytestmark = pytest.mark.slow


def _kill_while_blocked(app, superuser_sql, database_urls, log_path, queue: str, lock_sql: str, table: str) -> None:
    """Start a worker on ``queue`` while the test holds ``lock_sql``; kill it once its job waits on ``table``."""
    with held_lock(database_urls, lock_sql):
        worker = start_worker(app, log_path, queue)
        try:
            wait_for_lock_wait(superuser_sql, table)
        finally:
            kill_worker_tree(worker)
    # The lock is released: the dead worker's transaction ends without a commit.


def _outbox(superuser_sql, job_id: str) -> tuple:
    return superuser_sql("SELECT status::text, attempts, last_error FROM job_outbox WHERE job_id = %s", job_id)[0]


# --- a count ----------------------------------------------------------------------------------------


def test_kill_9_during_a_count(
    app, committed_db, database_urls, make_council, make_ballot, run_jobs, redis_conn, superuser_sql, tmp_path
):
    council_id = make_council()
    papers = ranked_papers(random.Random(21), 800)
    with council_context(council_id):
        killed, control = (
            make_ballot(BallotKind.RANKED, "stv", CANDIDATES, {"seats": 2}, papers).ballot.id for _ in range(2)
        )
        enqueue_after_commit(count_ballot, control, council_id=council_id)
    committed_db.session.commit()
    run_jobs(["reports"])  # the uninterrupted count of the same papers
    [(control_sha,)] = superuser_sql("SELECT sha256 FROM voting_results WHERE ballot_id = %s", control)

    with council_context(council_id):  # the officer's button: the real job, under its deterministic id
        job_id = request_count(
            committed_db.session.scalar(select(Ballot).where(Ballot.id == killed)), actor_user_id=None
        )
    committed_db.session.commit()
    log_path = tmp_path / "workers.log"
    # The count has loaded and tallied every paper; storing the result is the last write.
    _kill_while_blocked(
        app,
        superuser_sql,
        database_urls,
        log_path,
        "reports",
        "LOCK TABLE voting_results IN EXCLUSIVE MODE",
        "voting_results",
    )
    assert superuser_sql("SELECT count(*) FROM voting_results WHERE ballot_id = %s", killed) == [(0,)]
    assert _outbox(superuser_sql, job_id)[:2] == ("dispatched", 1)

    resend_overdue(app, 1)
    run_burst_worker(app, log_path, "reports")

    log = log_path.read_text()
    assert superuser_sql("SELECT sha256 FROM voting_results WHERE ballot_id = %s", killed) == [(control_sha,)], log
    assert superuser_sql("SELECT status::text FROM voting_ballots WHERE id = %s", killed) == [("counted",)]
    audited = "SELECT count(*) FROM audit_events WHERE action = %s AND subject_id = %s"
    assert superuser_sql(audited, "ballot.counted", str(killed)) == [(1,)]
    assert superuser_sql("SELECT count(*) FROM audit_events WHERE action = 'ballot.recount_mismatch'") == [(0,)]
    assert _outbox(superuser_sql, job_id) == ("done", 2, None)
    assert superuser_sql("SELECT status::text, done, total FROM job_runs WHERE job_id = %s", job_id) == [
        ("finished", 3, 3)
    ]


# --- a register import ------------------------------------------------------------------------------

LINES = 400


def _register_file(place) -> tuple[bytes, list[tuple]]:
    """A register of ``LINES`` people, and the rows an uninterrupted import leaves in ``resident_register``."""
    rng = random.Random(4)
    wards = [("Castleton", place.castleton), ("Kirkholt", place.kirkholt)]
    lines = ["reference,name,address,postcode,date_of_birth,neighbourhood"]
    expected = []
    for n in range(1, LINES + 1):
        ward, ward_id = rng.choice(wards)
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(25_000))
        reference, name, address = f"R{n:05d}", f"Resident {n}", f"{n} Toad Lane"
        lines.append(f"{reference},{name},{address},OL16 1AB,{born.isoformat()},{ward}")
        expected.append((reference, name, address, "OL16 1AB", born.isoformat(), ward_id))
    return ("\n".join(lines) + "\n").encode(), expected


def test_kill_9_during_a_register_import(app, committed_db, database_urls, place, redis_conn, superuser_sql, tmp_path):
    content, expected = _register_file(place)
    council_id = place.council.id
    # Someone already on the register and not in the file: the replacing import removes them once.
    superuser_sql(
        "INSERT INTO resident_register "
        "(council_id, reference, name, address, postcode, date_of_birth, neighbourhood_id) "
        "VALUES (%s, 'GONE1', 'Left Town', '9 Old Road', 'OL16 1AB', '1950-05-05', %s)",
        council_id,
        place.castleton,
    )
    with council_context(council_id):
        record = imports.request_import(
            ImportKind.REGISTER, ImportMode.REPLACE, "register.csv", content, actor_user_id=place.officer.id
        )
        committed_db.session.commit()
        import_id, job_id = record.id, record.job_id
    log_path = tmp_path / "workers.log"
    # The whole file has been checked and staged; merging into the register is the last write.
    _kill_while_blocked(
        app,
        superuser_sql,
        database_urls,
        log_path,
        "reports",
        "LOCK TABLE resident_register IN EXCLUSIVE MODE",
        "resident_register",
    )
    register = (
        "SELECT reference, name, address, postcode, date_of_birth::text, neighbourhood_id "
        "FROM resident_register WHERE council_id = %s ORDER BY reference"
    )
    assert [row[0] for row in superuser_sql(register, council_id)] == ["GONE1"]  # nothing half-written
    state = "SELECT status::text, content IS NULL, added, updated, removed FROM register_imports WHERE id = %s"
    assert superuser_sql(state, import_id) == [("queued", False, None, None, None)]  # the file is still there

    resend_overdue(app, 1)
    run_burst_worker(app, log_path, "reports")

    assert superuser_sql(register, council_id) == expected, log_path.read_text()  # no duplicates, no leftovers
    assert superuser_sql(state, import_id) == [("finished", True, LINES, 0, 1)]
    audited = "SELECT count(*) FROM audit_events WHERE action = 'register.imported' AND subject_id = %s"
    assert superuser_sql(audited, str(import_id)) == [(1,)]
    assert _outbox(superuser_sql, job_id) == ("done", 2, None)


# --- an email batch ---------------------------------------------------------------------------------


def test_kill_9_during_a_meeting_notice_batch(
    app, committed_db, database_urls, world, redis_conn, smtp_server, superuser_sql, tmp_path
):
    council_id = world.council.id
    with council_context(council_id):
        meeting = make_meeting(world)
        add_resolution(world, meeting)
        meetings.give_notice(meeting, world.society, by=world.secretary)  # enqueues the notice batch
        committed_db.session.commit()
        meeting_id = meeting.id
        last = world.line(world.members[-1]).id  # members are emailed by membership number: this one is last
    [job_id] = [row[0] for row in outbox_rows(superuser_sql) if row[0].startswith("meeting-notice")]
    log_path = tmp_path / "workers.log"
    # An uncommitted notice row for the last member: the batch has queued everyone else's email
    # (uncommitted) when its insert for that member waits on this one.
    _kill_while_blocked(
        app,
        superuser_sql,
        database_urls,
        log_path,
        "emails",
        f"INSERT INTO gov_notice_emails (council_id, meeting_id, member_id, queued_at) "
        f"VALUES ({council_id}, {meeting_id}, {last}, now())",
        "gov_notice_emails",
    )
    assert superuser_sql("SELECT count(*) FROM gov_notice_emails") == [(0,)]
    assert superuser_sql("SELECT count(*) FROM outbound_emails") == [(0,)]
    assert smtp_server.envelopes == []

    resend_overdue(app, 1)
    run_burst_worker(app, log_path, "emails")  # the batch, then each email it queued

    addresses = sorted(p.email for p in world.members)
    rows = superuser_sql("SELECT to_address, count(*), bool_and(sent_at IS NOT NULL) FROM outbound_emails GROUP BY 1")
    assert sorted(rows) == [(a, 1, True) for a in addresses], log_path.read_text()
    assert sorted(message_from_bytes(e.content, policy=policy.default)["To"] for e in smtp_server.envelopes) == (
        addresses
    )
    assert superuser_sql("SELECT count(*) FROM gov_notice_emails") == [(len(addresses),)]
    assert _outbox(superuser_sql, job_id) == ("done", 2, None)


class StallingSink(MailSink):
    """Keeps each message, then (while ``stall`` is set) holds back its reply, as a slow server would."""

    def __init__(self) -> None:
        super().__init__()
        self.stall = True

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        for _ in range(600):  # at most a minute
            if not self.stall:
                break
            await asyncio.sleep(0.1)
        return "250 Message accepted for delivery"


def test_kill_9_after_the_smtp_server_took_the_email_resends_the_same_message_id(
    app, committed_db, redis_conn, superuser_sql, tmp_path, monkeypatch
):
    sink = StallingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        email = queue_email("member@example.org", "Notice of the annual general meeting", "Come along.")
        committed_db.session.commit()
        email_id = email.id
        [(job_id, *_)] = outbox_rows(superuser_sql)
        log_path = tmp_path / "workers.log"
        worker = start_worker(app, log_path, "emails")
        try:
            # The server has the whole message; the worker dies before it hears "250" or commits.
            wait_until(lambda: sink.envelopes, "the SMTP server to receive the email")
        finally:
            kill_worker_tree(worker)
        sink.stall = False
        assert superuser_sql("SELECT sent_at FROM outbound_emails WHERE id = %s", email_id) == [(None,)]

        resend_overdue(app, 1)
        run_burst_worker(app, log_path, "emails")
    finally:
        controller.stop()

    first, second = (message_from_bytes(e.content, policy=policy.default) for e in sink.envelopes)
    assert first["Message-ID"] == second["Message-ID"]  # the recipient's mail system sees one message twice
    assert first["Message-ID"].startswith(f"<outbound-{email_id}-")
    assert superuser_sql("SELECT count(*), bool_and(sent_at IS NOT NULL) FROM outbound_emails") == [(1, True)]
    assert _outbox(superuser_sql, job_id) == ("done", 2, None)

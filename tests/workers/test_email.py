"""Outbound email: queued with the transaction, sent over real SMTP, once; retried when SMTP is down."""

from __future__ import annotations

from email import message_from_bytes

from aiosmtpd.controller import Controller
from rq.job import Job, JobStatus
from sqlalchemy import select

from tests.workers.conftest import MailSink, free_port
from workers.email import queue_email, send_email
from workers.models import OutboundEmail, OutboxJob, OutboxStatus
from workers.queues import EMAILS, get_queue


def _outbox(db) -> OutboxJob:
    db.session.expire_all()
    return db.session.scalars(select(OutboxJob)).one()


def test_email_is_sent_once_and_its_body_cleared(committed_db, run_jobs, smtp_server, app):
    db = committed_db
    email = queue_email("resident@example.org", "Your ballot receipt", "Receipt code: ABC-123\n")
    db.session.commit()
    email_id = email.id

    run_jobs()

    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["resident@example.org"]
    message = message_from_bytes(envelope.content)
    assert message["Subject"] == "Your ballot receipt"
    assert message["To"] == "resident@example.org"
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message.get_payload(decode=True).decode().strip() == "Receipt code: ABC-123"

    db.session.expire_all()
    sent = db.session.scalars(select(OutboundEmail).where(OutboundEmail.id == email_id)).one()
    assert sent.sent_at is not None
    assert sent.body == ""
    assert _outbox(db).status is OutboxStatus.DONE

    # A second delivery of the same job, and a second run of the body itself, send nothing.
    send_email(None, email_id)
    send_email.body(email_id)
    db.session.commit()
    assert len(smtp_server.envelopes) == 1


def test_smtp_down_raises_and_the_job_is_retried(committed_db, run_jobs, redis_conn, app, monkeypatch):
    db = committed_db
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    email = queue_email("officer@example.org", "Invitation", "Join us")
    db.session.commit()
    email_id = email.id
    job_id = _outbox(db).job_id

    run_jobs()

    job = Job.fetch(job_id, connection=redis_conn)
    assert job.get_status() == JobStatus.SCHEDULED  # waiting for its retry interval
    assert job.retries_left == 2
    row = _outbox(db)
    assert row.status is OutboxStatus.DISPATCHED
    assert row.attempts == 1
    assert "Connection" in (row.last_error or "")
    assert db.session.scalars(select(OutboundEmail)).one().sent_at is None

    # The server comes back; the retry (brought forward) delivers it.
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=app.config["MAIL_PORT"])
    controller.start()
    try:
        get_queue(EMAILS).scheduled_job_registry.requeue(job_id)
        run_jobs()
    finally:
        controller.stop()

    assert [e.rcpt_tos for e in sink.envelopes] == [["officer@example.org"]]
    db.session.expire_all()
    assert db.session.scalars(select(OutboundEmail).where(OutboundEmail.id == email_id)).one().sent_at is not None
    row = _outbox(db)
    assert row.status is OutboxStatus.DONE
    assert row.attempts == 2

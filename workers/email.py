"""Outbound email: queue it with the business change, send it from a worker.

``queue_email`` is what the rest of the app calls, inside the transaction that
causes the email (an invitation, a password reset): it writes an
``OutboundEmail`` row and enqueues ``send_email`` after commit, so a rolled-back
change sends nothing. ``send_email`` talks SMTP to ``MAIL_HOST:MAIL_PORT`` (in
development that is the supervisor's mail catcher), retries with backoff when
the server is unreachable, and clears the body once sent so reset links do not
linger in the database.
"""

from __future__ import annotations

import smtplib
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from workers.context import global_job
from workers.enqueue import enqueue_after_commit
from workers.models import OutboundEmail
from workers.queues import EMAILS
from workers.spec import EXTERNAL_RETRY

SMTP_TIMEOUT = 30


def queue_email(to_address: str, subject: str, body: str, *, headers: dict[str, str] | None = None) -> OutboundEmail:
    """Record an email and send it once the current transaction commits.

    Flushes, never commits: the caller's commit sends it, its rollback drops it.
    """
    if "\n" in subject or "\r" in subject:
        raise ValueError("an email subject must be one line")
    for name, value in (headers or {}).items():
        if any(c in f"{name}{value}" for c in "\r\n"):
            raise ValueError("an email header must be one line")
    email = OutboundEmail(to_address=to_address, subject=subject, body=body, headers=headers or None)
    db.session.add(email)
    db.session.flush()
    enqueue_after_commit(send_email, email.id, council_id=None, queue=EMAILS, retry=EXTERNAL_RETRY)
    return email


@global_job(queue=EMAILS, timeout=2 * SMTP_TIMEOUT, retry=EXTERNAL_RETRY)
def send_email(email_id: int) -> None:
    """Send one queued email over SMTP; safe to re-run (an email already sent is skipped).

    The row is locked while sending, so two deliveries of this job cannot both
    send. If the SMTP server accepts the message but the commit then fails, a
    retry sends it again: email is at-least-once, the rest of the system
    exactly-once.
    """
    email = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.id == email_id).with_for_update()
    ).one_or_none()
    if email is None or email.sent_at is not None:
        return
    config = current_app.config
    # Lines up to RFC 5322's 998 characters, so a long List-Unsubscribe link is sent as it is, not encoded.
    message = EmailMessage(policy=email_policy.default.clone(max_line_length=998))
    message["From"] = config["MAIL_SENDER"]
    message["To"] = email.to_address
    message["Subject"] = email.subject
    # Stable per email, so a resend after a failed commit can be recognised as the same message.
    domain = parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2] or "rochdale.invalid"
    message["Message-ID"] = f"<outbound-{email.id}-{int(email.created_at.timestamp())}@{domain}>"
    for name, value in (email.headers or {}).items():
        message[name] = value
    message.set_content(email.body)
    with smtplib.SMTP(config["MAIL_HOST"], int(config["MAIL_PORT"]), timeout=SMTP_TIMEOUT) as smtp:
        smtp.send_message(message)
    email.sent_at = func.now()
    email.body = ""
    db.session.flush()

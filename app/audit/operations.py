"""Appending to and verifying the current council's audit chain."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from app.audit.chain import Verification, entry_document, link_hash, verify_links
from app.audit.models import GENESIS_HASH, AuditEvent
from app.extensions import db
from tenants.context import current_council_id

logger = logging.getLogger(__name__)


def record_event(
    action: str,
    subject_type: str,
    subject_id: int | str | None = None,
    *,
    payload: dict[str, Any] | None = None,
    actor_user_id: int | None = None,
) -> AuditEvent:
    """Append an entry to the current council's chain (flushes, never commits).

    Appends are serialised per council by a transaction-scoped advisory lock, so
    concurrent appends form one line with no forks. ``payload`` must never hold a
    voter's choices.
    """
    council_id = current_council_id()
    db.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('rochdale.audit:' || :council, 0))"),
        {"council": str(council_id)},
    )
    last = db.session.execute(
        select(AuditEvent.seq, AuditEvent.entry_hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last.seq + 1, last.entry_hash) if last else (1, GENESIS_HASH)
    # Microseconds are what PostgreSQL keeps, so the hash survives the round trip.
    occurred_at = datetime.now(UTC)
    subject = None if subject_id is None else str(subject_id)
    body = payload or {}
    document = entry_document(
        seq=seq,
        occurred_at=occurred_at,
        actor_user_id=actor_user_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject,
        payload=body,
    )
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor_user_id=actor_user_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject,
        payload=body,
        prev_hash=prev_hash,
        entry_hash=link_hash(prev_hash, document),
    )
    db.session.add(event)
    db.session.flush()
    logger.info("Audit %s %s/%s recorded as entry %d", action, subject_type, subject, seq)
    return event


def verify_chain(batch_size: int = 5000) -> Verification:
    """Re-check every link of the current council's chain, oldest first."""
    current_council_id()
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size))
    return verify_links(rows)


def chain_length() -> int:
    """How many entries the current council's chain has."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0

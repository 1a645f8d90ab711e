"""Computing and checking the links of an audit chain (pure functions)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.audit.models import GENESIS_HASH
from app.voting.methods.canonical import canonical_json


def entry_document(
    *,
    seq: int,
    occurred_at: datetime,
    actor_user_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str | None,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """The hashed content of an entry, in a fixed shape."""
    return {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_user_id,
        "action": action,
        "subject": {"type": subject_type, "id": subject_id},
        "payload": payload,
    }


def link_hash(prev_hash: str, document: dict[str, Any]) -> str:
    """``SHA-256(prev_hash || canonical_json(document))`` as hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(document)).hexdigest()


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a chain: ``ok``, or the first problem found."""

    ok: bool
    entries: int
    head_hash: str
    problem: str | None = None
    at_seq: int | None = None


def verify_links(rows: Iterable[Any]) -> Verification:
    """Check rows (ordered by seq) for gaps, broken back-links and altered content."""
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    for row in rows:
        if row.seq != expected_seq:
            kind = "missing" if row.seq > expected_seq else "duplicated"
            return Verification(False, count, prev, f"entry {expected_seq} is {kind}", expected_seq)
        if row.prev_hash != prev:
            return Verification(False, count, prev, f"entry {row.seq} does not link to entry {row.seq - 1}", row.seq)
        document = entry_document(
            seq=row.seq,
            occurred_at=row.occurred_at,
            actor_user_id=row.actor_user_id,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            payload=row.payload,
        )
        if link_hash(prev, document) != row.entry_hash:
            return Verification(False, count, prev, f"entry {row.seq} has been altered", row.seq)
        prev = row.entry_hash
        expected_seq += 1
        count += 1
    return Verification(True, count, prev)

"""Audit log entries where the person is the actor (``app.privacy.registry``).

Erasure keeps them unchanged: the log is hash-chained (``app.audit.chain``), so
changing an entry would break every link after it, and it is the council's
evidence of what was done and by whom (a legal obligation and its legitimate
interest in accountability, UK GDPR Art. 17(3)(b) and (e)). After erasure the
entries point at the anonymised account.
"""

from __future__ import annotations

from typing import Any

from app.audit.models import AuditEvent
from app.privacy.records import records, rows_where


def export_for_user(user_id: int) -> dict[str, Any]:
    """Every entry of this council's log with the person as the actor."""
    return {"entries": records(rows_where(AuditEvent.actor_user_id, user_id), skip=("prev_hash", "entry_hash"))}


def erase_for_user(user_id: int) -> None:
    """Nothing to remove: the log is append-only and hash-chained."""

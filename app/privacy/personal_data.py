"""The person's own data rights requests (``app.privacy.registry``).

Erasure keeps them: they are the council's record that it answered in time
(UK GDPR Art. 5(2), accountability), and after erasure they point at the
anonymised account.
"""

from __future__ import annotations

from typing import Any

from app.privacy.models import DataRightsRequest
from app.privacy.records import actions_as_officer, records, rows_where


def export_for_user(user_id: int) -> dict[str, Any]:
    """Requests made, and requests completed as an officer."""
    return {
        "requests": records(rows_where(DataRightsRequest.user_id, user_id)),
        "as_officer": actions_as_officer(user_id, DataRightsRequest.completed_by_user_id),
    }


def erase_for_user(user_id: int) -> None:
    """Nothing to remove: the requests are the council's evidence of answering them."""

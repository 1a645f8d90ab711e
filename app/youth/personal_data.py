"""Youth proposals a person made, for residents' data rights (``app.privacy.registry``).

Erasure detaches the proposer: the proposal stays (it may be on a ballot
already, and its review and commission follow from it), with no link to them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from app.extensions import db
from app.privacy.records import actions_as_officer, records, rows_where
from app.youth.models import YouthProposal


def export_for_user(user_id: int) -> dict[str, Any]:
    """Proposals made, and proposals decided as an officer."""
    return {
        "proposals": records(rows_where(YouthProposal.proposer_id, user_id)),
        "as_officer": actions_as_officer(user_id, YouthProposal.decided_by_id),
    }


def erase_for_user(user_id: int) -> None:
    """Detach the person from the proposals they made."""
    db.session.execute(update(YouthProposal).where(YouthProposal.proposer_id == user_id).values(proposer_id=None))
    db.session.flush()

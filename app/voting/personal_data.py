"""A person's voting records for residents' data rights (``app.privacy.registry``).

What is held: that the person took part in a ballot (the day and the channel,
never what they chose: papers carry no voter reference, see ``app.voting.models``),
proxies they gave or held, and papers they entered or results they overrode as
an officer.

Erasure changes nothing here, on purpose: participation rows are what stop a
second vote and what turnout counts, proxies are part of a count's record, and
papers were never theirs to begin with. After erasure these rows point at the
anonymised account (``app.auth.personal_data``), so they no longer name anyone,
while every count, turnout and result hash stays exactly as it was.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.privacy.records import actions_as_officer
from app.voting.models import Ballot, BallotResult, PaperEntry, Participation, Proxy


def _with_ballot(rows: list[tuple[Any, Ballot]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"ballot_id": ballot.id, "ballot": ballot.title, **{name: getattr(row, name) for name in fields}}
        for row, ballot in rows
    ]


def _joined(model: type, *conditions: Any) -> list[tuple[Any, Ballot]]:
    query = select(model, Ballot).join(Ballot, Ballot.id == model.ballot_id).where(*conditions).order_by(model.id)
    return list(db.session.execute(query))


def export_for_user(user_id: int) -> dict[str, Any]:
    """Ballots taken part in (day and channel), proxies given and held, officer actions."""
    return {
        "participations": _with_ballot(
            _joined(Participation, Participation.user_id == user_id), ("channel", "cast_on")
        ),
        "proxies_given": _with_ballot(
            _joined(Proxy, Proxy.member_user_id == user_id), ("holder_user_id", "created_at")
        ),
        "proxies_held": _with_ballot(_joined(Proxy, Proxy.holder_user_id == user_id), ("member_user_id", "created_at")),
        "as_officer": actions_as_officer(
            user_id,
            Proxy.recorded_by_id,
            PaperEntry.first_by_id,
            PaperEntry.second_by_id,
            BallotResult.overridden_by_id,
        ),
    }


def erase_for_user(user_id: int) -> None:
    """Nothing to remove: every row here keeps a count intact and names nobody once the account is anonymised."""

"""The transfer ballot: the council's tenants vote on handing their homes to a housing co-operative.

It is a resolution ballot of :mod:`app.voting` (for, against or abstain, with
the proposal as its text) whose electorate is the ``housing_tenants`` rule.
The result is by a simple majority of votes cast (abstentions are not votes
cast) unless the council sets a larger majority; there is no quorum, and the
turnout is reported beside the result. Voting, counting and publishing use
the ballot pages; this module creates the ballot and reads the outcome back.
Flush, never commit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.housing import queries
from app.housing.models import HousingTransferBallot
from app.housing.operations import HousingError, _event, housing_coop
from app.i18n import gettext as _
from app.voting import counting
from app.voting import operations as ballots
from app.voting.methods.resolutions import THRESHOLDS
from app.voting.models import Ballot, BallotKind, BallotStatus
from app.voting.queries import participation_count


def _parameters(threshold: str) -> dict[str, Any]:
    return {
        "threshold": threshold,
        "base": "votes_cast",
        "quorum_count": 0,
        "quorum_share": "0",
        "proxies_count_as_present": True,
        "proxy_cap": 0,  # a transfer ballot is a ballot of tenants, each voting for themself
    }


def start_transfer_ballot(
    *,
    title: str,
    proposal: str,
    estate_ids: Sequence[int],
    society_id: int | None,
    threshold: str = "simple_majority",
    closes_at: datetime | None,
    open_now: bool,
    by: User | int | None,
) -> HousingTransferBallot:
    """Create the ballot (a draft, or open now until ``closes_at``) and its link to the housing module."""
    title = (title or "").strip()
    if not title:
        raise HousingError(_("Enter a title for the ballot"), "title")
    if len(title) > 200:
        raise HousingError(_("The title must be 200 characters or fewer"), "title")
    proposal = (proposal or "").strip()
    if not proposal:
        raise HousingError(_("Enter the proposal tenants vote on"), "proposal")
    if threshold not in THRESHOLDS:
        raise HousingError(_("Choose the majority the proposal needs"), "threshold")
    known = {e.id for e in queries.estates()}
    ids = sorted(set(estate_ids))
    if not set(ids) <= known:
        raise HousingError(_("Choose estates from the list"), "estate_ids")
    society = housing_coop(society_id)
    ballot = ballots.create_ballot(
        title=title, description=proposal, kind=BallotKind.RESOLUTION, module=queries.MODULE, by=by
    )
    ballots.update_rules(
        ballot, method="resolution", parameters=_parameters(threshold), tie_break_rule="lexicographic", by=by
    )
    ballots.update_electorate(ballot, {"type": "housing_tenants", "estate_ids": ids}, by=by)
    if closes_at is not None or open_now:
        problems = ballots.window_problems(None, closes_at, needs_opening=False)
        if problems:
            raise HousingError(problems[0], "closes_on")
        ballots.update_window(ballot, opens_at=None, closes_at=closes_at, by=by)
    if open_now:
        try:
            ballots.open_ballot(ballot, by=by)
        except ballots.VotingError as exc:
            raise HousingError(str(exc.message), "title") from None
    link = HousingTransferBallot(
        ballot_id=ballot.id,
        society_id=society.id if society else None,
        estate_ids=ids,
        threshold=threshold,
        created_by_id=by.id if isinstance(by, User) else by,
    )
    db.session.add(link)
    db.session.flush()
    _event("transfer_ballot_created", "housing_transfer_ballot", link.id, by, ballot_id=ballot.id, estates=ids)
    return link


def ballot_of(link: HousingTransferBallot) -> Ballot:
    return db.session.scalar(select(Ballot).where(Ballot.id == link.ballot_id))


@dataclass(frozen=True)
class TransferOutcome:
    """Turnout, and (once counted) the votes and whether the proposal carried."""

    ballot: Ballot
    electorate: int | None
    voted: int
    votes: dict[str, int] | None  # for, against, abstain
    passed: bool | None
    published: bool

    @property
    def turnout_percent(self) -> float | None:
        if not self.electorate:
            return None
        return 100 * self.voted / self.electorate

    @property
    def votes_cast(self) -> int:
        return 0 if self.votes is None else self.votes.get("for", 0) + self.votes.get("against", 0)


def outcome(link: HousingTransferBallot, *, show_counted: bool) -> TransferOutcome:
    """The outcome; before publication the votes are shown only with ``show_counted`` (officers)."""
    ballot = ballot_of(link)
    voted = participation_count(ballot)
    votes = passed = None
    published = ballot.status is BallotStatus.PUBLISHED
    if published or (show_counted and ballot.status is BallotStatus.COUNTED):
        result = counting.current_result(ballot)
        if result is not None:
            body = json.loads(result.document)
            votes = {k: int(v) for k, v in body.get("details", {}).get("votes", {}).items()}
            passed = body.get("outcome") == "passed"
    return TransferOutcome(ballot, ballot.electorate_size, voted, votes, passed, published)

"""Youth voting and results: one ballot per neighbourhood, and what each funded. Flush, never commit.

Opening voting creates, through :mod:`app.voting.operations`, a ballot per
neighbourhood taking part: a PB ballot over the accepted proposals (Equal
Shares within the neighbourhood's budget), a pick-up-to-k approval ballot, or
a budget division across the round's service types within the officer's floors
and ceilings. Voting, counting and publishing then use the voting pages; this
module reads the published results back per neighbourhood.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.i18n import gettext as _
from app.voting import counting, timing
from app.voting import operations as ballots
from app.voting.models import Ballot, BallotKind, BallotStatus
from app.youth.models import Phase, ProposalStatus, VoteKind, YouthBallot, YouthProposal, YouthRound, YouthServiceType
from app.youth.operations import MAX_PENCE, PhaseError, YouthError, _event, accepted_proposals, phase_of
from app.youth.queries import MODULE, budget_lines, services

# Division ballots need at least two lines; PB one option; pick-up-to-k two.
MIN_OPTIONS = {VoteKind.PB: 1, VoteKind.APPROVAL: 2, VoteKind.DIVISION: 2}
BALLOT_KIND = {
    VoteKind.PB: BallotKind.PB,
    VoteKind.APPROVAL: BallotKind.APPROVAL,
    VoteKind.DIVISION: BallotKind.DIVISION,
}
MAX_PICKS = 100


def service_key(service_id: int) -> str:
    return f"service-{service_id}"


def electorate_for(round_: YouthRound, neighbourhood_id: int) -> dict[str, Any]:
    """Verified residents of the neighbourhood within the round's age range (``app.residents.electorate``)."""
    return {
        "type": "verified_residents",
        "neighbourhood_ids": [neighbourhood_id],
        "min_age": round_.min_age,
        "max_age": round_.max_age,
    }


def round_ballots(round_: YouthRound) -> dict[int, Ballot]:
    """The round's ballots by neighbourhood id (empty before voting opens)."""
    rows = db.session.execute(
        select(YouthBallot.neighbourhood_id, Ballot)
        .join(Ballot, Ballot.id == YouthBallot.ballot_id)
        .where(YouthBallot.round_id == round_.id)
    ).all()
    return dict(rows)


def _check_bounds(
    round_: YouthRound, bounds: Mapping[int, tuple[int | None, int | None]]
) -> dict[int, tuple[int | None, int | None]]:
    known = {s.id for s, _provider in services(round_)}
    checked = {}
    for service_id, (floor, ceiling) in bounds.items():
        if service_id not in known:
            raise YouthError(_("Choose services of this round only"))
        for value, name in ((floor, "floor"), (ceiling, "ceiling")):
            if value is not None and not 0 <= value <= MAX_PENCE:
                raise YouthError(_("Floors and ceilings must be amounts of £0 or more"), f"{name}-{service_id}")
        if floor is not None and ceiling is not None and floor > ceiling:
            raise YouthError(_("A floor must not be more than its ceiling"), f"floor-{service_id}")
        checked[service_id] = (floor, ceiling)
    return checked


def open_voting(
    round_: YouthRound,
    *,
    vote_kind: VoteKind,
    max_picks: int | None = None,
    bounds: Mapping[int, tuple[int | None, int | None]] | None = None,
    by: User | int | None,
) -> list[YouthBallot]:
    """Create and open a ballot for every neighbourhood that can vote, and put the round in its voting phase.

    Refused (:class:`PhaseError`, HTTP 409) when voting has already opened, the
    round is past voting, no neighbourhood has a budget, or (for proposal
    votes) no neighbourhood has enough accepted proposals. Ballots close when
    the results phase starts. A neighbourhood with a budget but too few
    options gets no ballot (the officer sees which on the round's page).
    """
    if round_ballots(round_):
        raise PhaseError(_("Voting has already opened in this round."))
    if phase_of(round_) in (Phase.RESULTS, Phase.DELIVERY):
        raise PhaseError(_("This round is past its voting phase."))
    vote_kind = VoteKind(vote_kind)
    if vote_kind is VoteKind.APPROVAL and (max_picks is None or not 1 <= max_picks <= MAX_PICKS):
        raise YouthError(
            _("Enter how many proposals each voter may pick, from 1 to %(most)s", most=MAX_PICKS), "max_picks"
        )
    checked_bounds = _check_bounds(round_, bounds or {})
    closes_at = timing.uk_datetime(round_.results_on, 0, 0)
    if closes_at <= timing.now():
        raise PhaseError(_("The results phase must start after today, because voting closes when it starts."))
    budgets = [line for line in budget_lines(round_, only_taking_part=True) if line.amount_pence]
    if not budgets:
        raise PhaseError(_("No neighbourhood has a budget in this round, so there is nothing to vote on."))
    accepted = accepted_proposals(round_)
    catalogue = [s for s, _provider in services(round_)]
    if vote_kind is VoteKind.DIVISION:
        options = {line.neighbourhood.id: catalogue for line in budgets}
    else:
        options = {line.neighbourhood.id: accepted.get(line.neighbourhood.id, []) for line in budgets}
    taking_part = [line for line in budgets if len(options[line.neighbourhood.id]) >= MIN_OPTIONS[vote_kind]]
    if not taking_part:
        if vote_kind is VoteKind.DIVISION:
            raise PhaseError(_("A vote dividing the budget needs at least two services in the catalogue."))
        raise PhaseError(
            _("No neighbourhood has enough accepted proposals to vote on (at least %(n)s).", n=MIN_OPTIONS[vote_kind])
        )

    round_.vote_kind = vote_kind
    round_.max_picks = max_picks if vote_kind is VoteKind.APPROVAL else None
    if vote_kind is VoteKind.DIVISION:
        for service in catalogue:
            service.floor_pence, service.ceiling_pence = checked_bounds.get(service.id, (None, None))
    created = []
    try:
        for line in taking_part:
            ballot = _create_ballot(round_, line.neighbourhood, line.amount_pence, options[line.neighbourhood.id], by)
            ballots.update_window(ballot, opens_at=None, closes_at=closes_at, by=by)
            ballots.open_ballot(ballot, by=by)
            link = YouthBallot(round_id=round_.id, neighbourhood_id=line.neighbourhood.id, ballot_id=ballot.id)
            db.session.add(link)
            created.append(link)
    except ballots.VotingError as exc:
        # Say which neighbourhood's ballot could not open (e.g. floors adding up to more than its budget).
        raise PhaseError(
            _("The ballot for %(name)s could not open: %(reason)s", name=line.neighbourhood.name, reason=exc.message)
        ) from None
    if phase_of(round_) is not Phase.VOTING:
        round_.phase_override = Phase.VOTING
    db.session.flush()
    _event(
        "voting_opened",
        "youth_round",
        round_.id,
        by,
        vote_kind=vote_kind.value,
        max_picks=round_.max_picks,
        ballots={str(link.neighbourhood_id): link.ballot_id for link in created},
    )
    return created


def _create_ballot(round_: YouthRound, neighbourhood, budget: int, options: list, by) -> Ballot:
    kind = BALLOT_KIND[round_.vote_kind]
    ballot = ballots.create_ballot(
        title=f"{round_.title}: {neighbourhood.name}",
        description=round_.description,
        kind=kind,
        module=MODULE,
        by=by,
    )
    if kind is BallotKind.PB:
        ballots.update_rules(
            ballot,
            method="mes-add1",
            parameters={"budget_pence": budget, "utility": "cost"},
            tie_break_rule="lexicographic",
            by=by,
        )
    elif kind is BallotKind.APPROVAL:
        picks = min(round_.max_picks, len(options))
        ballots.update_rules(
            ballot,
            method="approval",
            parameters={"seats": picks, "max_approvals": picks},
            tie_break_rule="lexicographic",
            by=by,
        )
    else:
        ballots.update_rules(
            ballot, method="markets", parameters={"budget_pence": budget}, tie_break_rule="lexicographic", by=by
        )
    for option in options:
        if isinstance(option, YouthServiceType):
            ballots.add_option(
                ballot,
                key=service_key(option.id),
                title=option.name,
                description=option.description,
                floor_pence=option.floor_pence,
                ceiling_pence=option.ceiling_pence,
                by=by,
            )
        else:
            ballots.add_option(
                ballot,
                key=option.key,
                title=option.title,
                description=option.description,
                cost_pence=option.cost_pence if kind is BallotKind.PB else None,
                by=by,
            )
    ballots.update_electorate(ballot, electorate_for(round_, neighbourhood.id), by=by)
    return ballot


# --- results -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a neighbourhood's published ballot funded."""

    ballot: Ballot
    published: bool
    funded_proposal_ids: list[int] = field(default_factory=list)
    # Budget division: pence per service type id.
    allocation: dict[int, int] = field(default_factory=dict)


def _proposal_id(key: str) -> int | None:
    prefix, _sep, number = key.partition("-")
    return int(number) if prefix == "youth" and number.isdigit() else None


def outcome(round_: YouthRound, ballot: Ballot) -> Outcome:
    """The funded proposals (or the division of the budget) of a ballot, once published."""
    result = counting.current_result(ballot) if ballot.status is BallotStatus.PUBLISHED else None
    if result is None:
        return Outcome(ballot, published=False)
    body = json.loads(result.document)
    if ballot.kind is BallotKind.DIVISION:
        allocation = {}
        for key, amount in body["allocation"].items():
            prefix, _sep, number = key.partition("-")
            if prefix == "service" and number.isdigit():
                allocation[int(number)] = int(amount)
        return Outcome(ballot, published=True, allocation=allocation)
    if result.override_document:  # an officer's published override of a PB outcome wins
        keys = json.loads(result.override_document)["selected"]
    else:
        keys = body["selected"] if "selected" in body else body["winners"]
    funded = [pid for pid in (_proposal_id(k) for k in keys) if pid is not None]
    return Outcome(ballot, published=True, funded_proposal_ids=funded)


def outcomes(round_: YouthRound) -> dict[int, Outcome]:
    """Each neighbourhood's outcome, by neighbourhood id."""
    return {n: outcome(round_, ballot) for n, ballot in round_ballots(round_).items()}


def fund_within_shares(allocation: dict[int, int], proposals: list[tuple[int, int, int]]) -> list[int]:
    """Which proposals a budget division funds: within each service type's share, cheapest first.

    ``allocation`` is pence per service type id; ``proposals`` are
    ``(proposal id, service type id, reviewed cost in pence)``. For each
    service type, its accepted proposals are taken from the cheapest (then the
    oldest id) and funded while their costs fit in what is left of the type's
    share; one that does not fit is passed over and cheaper ones after it
    still count, so no share is left unspent when a proposal would fit in it.
    A proposal with no reviewed cost is never funded. Pure and deterministic.
    """
    left = dict(allocation)
    funded: list[int] = []
    for proposal_id, service_id, cost in sorted(proposals, key=lambda p: (p[2], p[0])):
        if cost <= 0 or left.get(service_id, 0) < cost:
            continue
        left[service_id] -= cost
        funded.append(proposal_id)
    return sorted(funded)


def funded_proposals(round_: YouthRound) -> list[YouthProposal]:
    """Proposals the published votes funded: chosen ones, or (budget division) those that fit in their type's share."""
    ids: set[int] = set()
    divisions: dict[int, dict[int, int]] = {}
    for neighbourhood_id, result in outcomes(round_).items():
        ids.update(result.funded_proposal_ids)
        if result.allocation:
            divisions[neighbourhood_id] = result.allocation
    if divisions:
        accepted = db.session.execute(
            select(
                YouthProposal.id,
                YouthProposal.neighbourhood_id,
                YouthProposal.service_type_id,
                YouthProposal.estimated_sessions,
                YouthProposal.unit_cost_pence,
            ).where(YouthProposal.round_id == round_.id, YouthProposal.status == ProposalStatus.ACCEPTED)
        ).all()
        for neighbourhood_id, allocation in divisions.items():
            costed = [
                (pid, service_id, (sessions or 0) * (unit or 0))
                for pid, where, service_id, sessions, unit in accepted
                if where == neighbourhood_id
            ]
            ids.update(fund_within_shares(allocation, costed))
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(YouthProposal).where(YouthProposal.id.in_(ids)).order_by(YouthProposal.title, YouthProposal.id)
        )
    )


def all_published(round_: YouthRound) -> bool:
    found = round_ballots(round_)
    return bool(found) and all(b.status is BallotStatus.PUBLISHED for b in found.values())

"""Youth figures for the benchmarking dashboard (``app.modules.benchmarking.providers``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.modules.benchmarking.figures import Figure, collect, day_start, rate
from app.voting.models import Ballot
from app.voting.queries import turnout
from app.youth.delivery import council_delivery_figures
from app.youth.models import YouthBallot, YouthBudget, YouthRound
from app.youth.queries import MODULE


def council_figures(start: date, end: date) -> dict[str, Figure]:
    """Turnout, budget per young person (rounds whose voting opened in [start, end)) and delivery so far.

    Delivery is cumulative (every funded proposal so far), as the youth module
    records it; turnout and budget belong to the period.
    """
    votes = turnout(MODULE, day_start(start), day_start(end))
    rounds = select(YouthRound.id).where(YouthRound.voting_opens_on >= start, YouthRound.voting_opens_on < end)
    pence = db.session.scalar(
        select(func.coalesce(func.sum(YouthBudget.amount_pence), 0)).where(YouthBudget.round_id.in_(rounds))
    )
    eligible = db.session.scalar(
        select(func.coalesce(func.sum(Ballot.electorate_size), 0))
        .join(YouthBallot, YouthBallot.ballot_id == Ballot.id)
        .where(YouthBallot.round_id.in_(rounds))
    )
    delivery = council_delivery_figures()
    return collect(
        youth_turnout=rate(votes.votes, votes.eligible),
        youth_budget_per_young_person=rate(int(pence or 0) / 100, int(eligible or 0), per=1),
        youth_services_delivered_as_planned=rate(delivery.sessions_delivered, delivery.sessions_planned),
    )

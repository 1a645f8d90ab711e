"""Priorities figures for the benchmarking dashboard (``app.modules.benchmarking.providers``)."""

from __future__ import annotations

from datetime import date

from app.modules.benchmarking.figures import Figure, collect, day_start, rate
from app.priorities.operations import MODULE
from app.voting.queries import turnout


def council_figures(start: date, end: date) -> dict[str, Figure]:
    """Turnout in the current council's priorities ballots that closed in [start, end)."""
    votes = turnout(MODULE, day_start(start), day_start(end))
    return collect(priorities_turnout=rate(votes.votes, votes.eligible))

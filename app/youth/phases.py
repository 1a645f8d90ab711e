"""The phases of a youth round and how the current one is worked out."""

from __future__ import annotations

from datetime import date

from app.i18n import lazy_gettext as _l
from app.youth.models import Phase, YouthRound

# (phase, the round's column holding the day it starts), in order.
PHASE_STARTS: tuple[tuple[Phase, str], ...] = (
    (Phase.PROPOSALS, "proposals_open_on"),
    (Phase.REVIEW, "review_opens_on"),
    (Phase.VOTING, "voting_opens_on"),
    (Phase.RESULTS, "results_on"),
    (Phase.DELIVERY, "delivery_on"),
)
ORDER = [Phase.UPCOMING, *(p for p, _ in PHASE_STARTS)]

PHASE_LABELS = {
    Phase.UPCOMING: _l("Not started"),
    Phase.PROPOSALS: _l("Proposals"),
    Phase.REVIEW: _l("Officer review"),
    Phase.VOTING: _l("Voting"),
    Phase.RESULTS: _l("Results"),
    Phase.DELIVERY: _l("Delivery"),
}

# Budgets, the catalogue and decisions on proposals may change only before voting opens:
# the vote is over exactly what officers had accepted, at the costs they had set.
EDITABLE_PHASES = frozenset({Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW})


def phase_from_dates(round_: YouthRound, today: date) -> Phase:
    """The phase the dates put the round in on ``today`` (each phase runs until the next starts)."""
    current = Phase.UPCOMING
    for phase, column in PHASE_STARTS:
        if getattr(round_, column) <= today:
            current = phase
    return current


def current_phase(round_: YouthRound, today: date) -> Phase:
    """The officer's override if there is one, else the phase the dates give."""
    return round_.phase_override or phase_from_dates(round_, today)


def is_before(phase: Phase, other: Phase) -> bool:
    return ORDER.index(phase) < ORDER.index(other)

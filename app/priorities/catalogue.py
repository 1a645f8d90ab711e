"""The priorities templates an officer starts from.

A template is a title, a description for residents, a default list of priority
areas (the options) and sensible rules for each ballot kind. The officer can
change the list and the numbers before the ballots are made; the template key
is kept on the exercise so its pages can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import _l
from app.voting.models import BallotKind

# The kinds a priorities ballot can be, in the order the form offers them.
KINDS = (BallotKind.POINTS, BallotKind.RANKED, BallotKind.APPROVAL)

KIND_LABELS = {
    BallotKind.POINTS: _l("Points: residents share points across the priorities"),
    BallotKind.RANKED: _l("Ranked: residents number the priorities in order"),
    BallotKind.APPROVAL: _l("Approval: residents tick the priorities they support"),
}

# The counting method of each kind (ranked priorities elect several: the single transferable vote).
METHODS = {BallotKind.POINTS: "points", BallotKind.RANKED: "stv", BallotKind.APPROVAL: "approval"}


@dataclass(frozen=True)
class PrioritiesTemplate:
    key: str
    title: str
    description: str
    areas: tuple[str, ...]
    winners: int = 3
    points: int = 10


TEMPLATES: dict[str, PrioritiesTemplate] = {
    t.key: t
    for t in (
        PrioritiesTemplate(
            "top-3",
            _l("Top 3 priorities for your neighbourhood"),
            _l("Tell the council which three things matter most where you live."),
            (
                _l("Parks and green spaces"),
                _l("Street cleaning"),
                _l("Community safety"),
                _l("Youth activities"),
                _l("Road safety"),
                _l("Local shops"),
                _l("Activities for older people"),
                _l("Housing repairs"),
            ),
        ),
        PrioritiesTemplate(
            "environment",
            _l("Greener neighbourhood priorities"),
            _l("Choose where the council's environment work should start in your neighbourhood."),
            (
                _l("Tree planting"),
                _l("Recycling points"),
                _l("Cycle routes"),
                _l("Cleaner air near schools"),
                _l("Community gardens"),
            ),
            winners=2,
        ),
    )
}


def template(key: str) -> PrioritiesTemplate | None:
    return TEMPLATES.get(key)

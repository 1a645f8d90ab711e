"""The satisfaction survey's questions and results (pure: no Flask, no database).

Two questions of the Adult Social Care Survey, in its words:

* Q1, overall satisfaction with care and support, on a 7-point scale; the
  measure (ASCOF 3A) is the share who are extremely or very satisfied (1 or 2);
* Q3a, control over daily life, on a 4-point scale; the measure (ASCOF 1B) is
  the share with as much control as they want or adequate control (1 or 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.housing.survey import QuestionShare as Share
from app.housing.survey import percent_text
from app.i18n import lazy_gettext as _l

__all__ = ["CONTROL", "OVERALL", "Answers", "Share", "control", "percent_text", "satisfaction"]

OVERALL = {
    1: _l("I am extremely satisfied"),
    2: _l("I am very satisfied"),
    3: _l("I am quite satisfied"),
    4: _l("I am neither satisfied nor dissatisfied"),
    5: _l("I am quite dissatisfied"),
    6: _l("I am very dissatisfied"),
    7: _l("I am extremely dissatisfied"),
}
CONTROL = {
    1: _l("I have as much control over my daily life as I want"),
    2: _l("I have adequate control over my daily life"),
    3: _l("I have some control over my daily life but not enough"),
    4: _l("I have no control over my daily life"),
}
SATISFIED = (1, 2)
IN_CONTROL = (1, 2)


@dataclass(frozen=True)
class Answers:
    overall: int
    control: int


def satisfaction(answers: Iterable[Answers]) -> Share:
    """Extremely or very satisfied, out of everyone who answered."""
    rows = list(answers)
    return Share(sum(1 for a in rows if a.overall in SATISFIED), len(rows))


def control(answers: Iterable[Answers]) -> Share:
    """As much control as wanted or adequate control, out of everyone who answered."""
    rows = list(answers)
    return Share(sum(1 for a in rows if a.control in IN_CONTROL), len(rows))

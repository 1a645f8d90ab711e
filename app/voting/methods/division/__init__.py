"""Budget division: a neighbourhood shares one budget across service types.

Each voter's paper divides the whole budget, in whole pence, across the lines
on the ballot (youth clubs, sports, arts, mentoring, detached youth work,
careers, ...). The papers are combined by one of two rules, fixed before the
vote opens:

* ``mean``: the average paper (:mod:`.mean`). Simple, but a voter can pull a
  line towards them by exaggerating.
* ``independent_markets``: the proportional, strategy-proof rule of Freeman,
  Pennock, Peters and Wortman Vaughan (:mod:`.markets`).

An officer may set a floor and a ceiling (whole pence) for any line; both rules
then keep each line within its range (described in each module). The exact
division is rounded to whole pence by largest remainder (:mod:`.rounding`), so
the amounts add up to the budget exactly. :func:`count_division` does it all.
"""

from app.voting.methods.division.ballots import DivisionBallotError, validate_division_ballot
from app.voting.methods.division.count import (
    INDEPENDENT_MARKETS,
    MEAN,
    RULES_VERSION,
    DivisionResult,
    count_division,
)

__all__ = [
    "INDEPENDENT_MARKETS",
    "MEAN",
    "RULES_VERSION",
    "DivisionBallotError",
    "DivisionResult",
    "count_division",
    "validate_division_ballot",
]

"""Routes for elections, under /c/<council>/societies/<society_id>/elections. Routing only.

Members and the public: the list, an election with its statements, standing
(or nominating), agreeing to stand, withdrawing, and the declared result.
The people who run the society: ``.../manage`` pages to create an election,
set its seats, check nominations, start the poll, close, count and declare.
Voting itself happens on the voting engine's ballot pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from app.governance.elections import views, views_manage

bp = Blueprint("elections", __name__, url_prefix="/societies/<int:society_id>/elections")

_GET_POST = ("GET", "POST")
_ELECTION = "/<int:election_id>"
_NOMINATION = f"{_ELECTION}/nominations/<int:nomination_id>"


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


# Members and the public
_route("/", "index", views.index)
_route(_ELECTION, "election", views.election_page)
_route(f"{_ELECTION}/nominate", "nominate", views.nominate, _GET_POST)
_route(f"{_NOMINATION}/consent", "consent", views.consent, _GET_POST)
_route(f"{_NOMINATION}/withdraw", "withdraw", views.withdraw, _GET_POST)
_route(f"{_ELECTION}/results", "results", views.results)

# The people who run the society
_route("/new", "new", views_manage.new_election, _GET_POST)
_route(f"{_ELECTION}/manage", "manage", views_manage.manage)
_route(f"{_ELECTION}/manage/seats", "seats", views_manage.seats, _GET_POST)
_route(f"{_NOMINATION}/check", "check", views_manage.check, _GET_POST)
_route(f"{_ELECTION}/manage/open-nominations", "open_nominations", views_manage.open_nominations, ("POST",))
_route(f"{_ELECTION}/manage/start-poll", "start_poll", views_manage.start_poll, ("POST",))
_route(f"{_ELECTION}/manage/close", "close", views_manage.close_voting, ("POST",))
_route(f"{_ELECTION}/manage/count", "count", views_manage.count, ("POST",))
_route(f"{_ELECTION}/manage/declare", "declare", views_manage.declare, ("POST",))


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.governance.elections.models import ElectionStatus, NominationStatus, SeatOutcome
    from app.voting import timing
    from app.voting.blueprint import choice_pairs
    from app.voting.rules import METHOD_LABELS

    return {
        "format_date": timing.format_date,
        "format_datetime": timing.format_datetime,
        "choice_pairs": choice_pairs,
        "method_labels": METHOD_LABELS,
        "Status": ElectionStatus,
        "NominationStatus": NominationStatus,
        "Outcome": SeatOutcome,
    }

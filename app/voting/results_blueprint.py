"""Routes for results, counting and the officers' paper-ballot and proxy tools, under /c/<council>/ballots.

Routing only: views are in ``results_views.py`` and ``officer_tools_views.py``.
Results and downloads are public once a ballot is published; officers who
manage the ballot see them as soon as it is counted. Every page naming a
ballot loads it first (another council's id is a 404 for everyone), then
checks who is asking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from app.voting import officer_tools_views as tools
from app.voting import results_views as views

bp = Blueprint("voting_results", __name__, url_prefix="/ballots")

_GET_POST = ("GET", "POST")


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


# Results (public once published)
_route("/<int:ballot_id>/results", "results", views.results)
_route("/<int:ballot_id>/results/receipts", "receipts", views.receipts)
_route("/<int:ballot_id>/results/result.json", "result_json", views.result_json)
_route("/<int:ballot_id>/results/result.csv", "result_csv", views.result_csv)
_route("/<int:ballot_id>/results/ballots.blt", "ballots_blt", views.ballots_blt)
_route("/<int:ballot_id>/results/ballots.pb", "ballots_pb", views.ballots_pb)
_route("/<int:ballot_id>/results/ballots.csv", "ballots_csv", views.ballots_csv)

# Officers: the count, publication and overrides
_route("/manage/<int:ballot_id>/count", "count", views.count_page)
_route("/manage/<int:ballot_id>/count/run", "run_count", views.run_count, ("POST",))
_route("/manage/<int:ballot_id>/publish", "publish", views.publish, _GET_POST)
_route("/manage/<int:ballot_id>/override", "override", views.override, _GET_POST)

# Officers: paper ballots (double entry) and proxies
_route("/manage/<int:ballot_id>/paper-ballots", "paper_ballots", tools.paper_ballots)
_route("/manage/<int:ballot_id>/paper-ballots/enter", "enter_paper", tools.enter_paper, _GET_POST)
_route("/manage/<int:ballot_id>/paper-ballots/<int:entry_id>/third-look", "third_look", tools.third_look, _GET_POST)
_route("/manage/<int:ballot_id>/paper-ballots/<int:entry_id>/restart", "restart_paper", tools.restart_paper, _GET_POST)
_route("/manage/<int:ballot_id>/proxies", "proxies", tools.proxies, _GET_POST)
_route("/manage/<int:ballot_id>/proxies/<int:proxy_id>/remove", "remove_proxy", tools.remove_proxy, _GET_POST)

# Proxy holders: cast the votes of the members whose proxies they hold
_route("/<int:ballot_id>/proxy-votes", "proxy_votes", tools.proxy_votes, _GET_POST)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.voting import papers, rules, timing

    return {
        "format_datetime": timing.format_datetime,
        "format_date": timing.format_date,
        "money": papers.money,
        "method_labels": rules.METHOD_LABELS,
        "tie_break_labels": rules.TIE_BREAK_RULES,
    }

"""Reading the query parameters the benchmarking pages and API share: the period and the peer group."""

from __future__ import annotations

from datetime import date

from flask import abort, request

from app.modules.benchmarking import queries
from app.modules.benchmarking.catalogue import Metric
from app.modules.benchmarking.peers import PeerKind
from app.modules.benchmarking.periods import CANONICAL_PERIOD, between, parse


def chosen_period(metric: Metric, levels, *, exact: bool = False) -> tuple[date | None, list[date]]:
    """The period asked for (``?period=``), or the latest; 404 for one outside the published range.

    ``exact`` (the API): a period given must be written exactly as ``label``
    writes periods, or the answer is 400, so that a client's typo is not
    mistaken for a period with no figures (a quarter for a monthly metric is
    well written, and has none: 404).
    """
    bounds = queries.period_range(metric.code, levels)
    available = between(*bounds, metric.frequency) if bounds else []
    asked = request.args.get("period")
    if exact and asked is not None and CANONICAL_PERIOD.fullmatch(asked) is None:
        abort(400)
    if not asked:
        return (available[0] if available else None), available
    chosen = parse(asked, metric.frequency)
    if chosen is None or bounds is None or not bounds[0] <= chosen <= bounds[1]:
        abort(404)
    return chosen, available


def peer_kind(allowed: tuple[PeerKind, ...]) -> PeerKind:
    try:
        kind = PeerKind(request.args.get("peers", PeerKind.TYPE.value))
    except ValueError:
        abort(400)
    if kind not in allowed:
        abort(400)
    return kind

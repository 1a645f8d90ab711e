"""What the council page shows for each metric: its figure against the network and its peers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.modules.benchmarking import queries
from app.modules.benchmarking.catalogue import METRICS, Metric
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.peers import PeerKind, peer_ids
from app.modules.benchmarking.stats import Spread, ranks, spread


@dataclass(frozen=True)
class MetricLine:
    metric: Metric
    period: date
    value: float | None  # None: suppressed
    network: Spread
    rank: int | None
    peers: Spread


def council_lines(
    council,
    levels: tuple[Visibility, ...],
    peer_kind: PeerKind,
    *,
    own: dict[str, list] | None = None,
    custom: set[int] | None = None,
) -> list[MetricLine]:
    """One line per metric the council has a figure for, at its latest period, in catalogue order.

    ``own`` (the council's own figures, on its own officers' page) takes the
    place of its published ones; the network and peers are always published figures.
    """
    if own is not None:
        latest = {code: points[-1] for code, points in own.items() if code in METRICS and points}
    else:
        latest = {code: f for code, f in queries.latest_figures(council.id, levels).items() if code in METRICS}
    network = queries.network_values({code: period for code, (period, _value) in latest.items()}, levels)
    peers = peer_ids(peer_kind, council, queries.active_councils(), custom or ())
    lines = []
    for code, metric in METRICS.items():
        if code not in latest:
            continue
        period, value = latest[code]
        others = {cid: v for cid, v in network.get(code, {}).items() if cid != council.id}
        field = dict(others)
        if value is not None:
            field[council.id] = value
        rank = ranks(field, metric.better).get(council.id) if value is not None else None
        peer_values = [v for cid, v in field.items() if cid in peers]
        lines.append(MetricLine(metric, period, value, spread(list(field.values())), rank, spread(peer_values)))
    return lines

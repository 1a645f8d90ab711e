"""What the council page shows for each metric: its figure against the network and its peers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.modules.benchmarking import queries
from app.modules.benchmarking.catalogue import METRICS, Metric
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.peers import PeerKind
from app.modules.benchmarking.stats import Spread, spread


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
) -> list[MetricLine]:
    """One line per metric the council has a figure for, at its latest period, in catalogue order.

    ``own`` (the council's own figures, on its own officers' page) takes the
    place of its published ones; the network and peers are always published figures.
    The custom peer group is the current council's own (``BenchmarkPeer``).
    """
    if own is not None:
        latest = {code: points[-1] for code, points in own.items() if code in METRICS and points}
    else:
        latest = {code: f for code, f in queries.latest_figures(council.id, levels).items() if code in METRICS}
    found = queries.standings(council.id, latest, levels, queries.peer_query(peer_kind, council))
    lines = []
    for code, metric in METRICS.items():
        if code not in latest:
            continue
        period, value = latest[code]
        standing = found.get(code)
        if standing is None:  # suppressed, and no other council has a figure
            lines.append(MetricLine(metric, period, value, spread([]), None, spread([])))
            continue
        rank = standing.better + 1 if value is not None else None
        lines.append(MetricLine(metric, period, value, standing.network, rank, standing.peers))
    return lines

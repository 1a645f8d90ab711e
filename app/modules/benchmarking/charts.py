"""Benchmarking charts as accessible SVG drawn on the server (see ``app.voting.charts`` for the conventions).

Each chart has a title and a description, says every value in text, and sits
beside a table with the same figures; nothing depends on colour or JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.modules.benchmarking.catalogue import Metric
from app.modules.benchmarking.format import number
from app.voting.charts import MARKED, PLAIN, TEXT, Bar, bar_chart

WIDTH = 720
HEIGHT = 260
LEFT = 70
RIGHT = 20
TOP = 20
BOTTOM = 40
POSITIONS_TITLE = _l("Each figure against the network's quartiles")
POSITIONS_DESCRIPTION = _l(
    "For each metric, the box spans the network's lower to upper quartile, the thick line is the network "
    "median and the diamond is this council's figure. Each row has its own scale. The table below gives "
    "every figure."
)
DESCRIPTION = _l(
    "Each point is the figure for one period; the table beside the chart gives every figure, "
    "including periods where it was suppressed."
)


def distribution(metric: Metric, values: Sequence[float], median: float | None) -> Markup:
    """A histogram of the councils' published values in up to eight equal bins, with the median marked."""
    low, high = min(values), max(values)
    bins = min(8, len(values))
    width = (high - low) / bins if high > low else 1
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / width), bins - 1)] += 1
    bars = [
        Bar(
            _("%(low)s to %(high)s", low=number(metric, low + i * width), high=number(metric, low + (i + 1) * width)),
            count,
            _("%(count)d councils", count=count),
        )
        for i, count in enumerate(counts)
    ]
    if median is not None:
        # The bars are bins, so the median is shown as the bin that holds it, marked in words.
        index = min(int((median - low) / width), bins - 1)
        bars[index] = Bar(bars[index].label, bars[index].value, bars[index].text, True, _("holds the median"))
    return bar_chart(
        f"dist-{metric.code}",
        _("How councils' figures for %(name)s are spread", name=str(metric.name)),
        _(
            "The number of councils whose figure falls in each range. The range holding the network median is "
            "marked. The table below the chart lists every council's figure."
        ),
        bars,
    )


def series(metric: Metric, points: Sequence[tuple[date, float | None]]) -> Markup:
    """A line through the council's figures over time; suppressed periods leave a gap."""
    shown = [(d, v) for d, v in points if v is not None]
    title_id, desc_id = f"series-{metric.code}-title", f"series-{metric.code}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rochdale-chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" focusable="false">',
        f'<title id="{title_id}">{escape(_("%(name)s over time", name=str(metric.name)))}</title>',
        f'<desc id="{desc_id}">{escape(str(DESCRIPTION))}</desc>',
    ]
    if shown:
        low = min(0.0, min(v for _d, v in shown))
        high = max(v for _d, v in shown) or 1.0
        span_x = WIDTH - LEFT - RIGHT
        span_y = HEIGHT - TOP - BOTTOM
        count = max(len(points) - 1, 1)
        index = {d: i for i, (d, _v) in enumerate(points)}

        def xy(d: date, v: float) -> tuple[float, float]:
            return LEFT + index[d] / count * span_x, TOP + (1 - (v - low) / ((high - low) or 1)) * span_y

        segments: list[list[tuple[float, float]]] = [[]]
        for d, v in points:
            if v is None:
                segments.append([])
            else:
                segments[-1].append(xy(d, v))
        base = HEIGHT - BOTTOM
        parts += [
            f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{PLAIN}"/>',
            f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{PLAIN}"/>',
            f'<text x="{LEFT - 6}" y="{TOP + 5}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(number(metric, high))}</text>",
            f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(number(metric, low))}</text>",
            f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="14" fill="{TEXT}">'
            f"{escape(points[0][0].isoformat()[:7])}</text>",
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(points[-1][0].isoformat()[:7])}</text>",
        ]
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{MARKED}" stroke-width="3"/>')
            for x, y in segment:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{MARKED}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


POSITION_ROW = 40
POSITION_LABEL = 260
POSITION_VALUE = 150


def positions(lines: Sequence) -> Markup:
    """One row per metric: the network's middle half as a box, its median as a bar, the council as a diamond.

    Each row has its own scale (the metrics have different units), from the
    lowest to the highest of the quartiles and the council's figure; the value
    and rank are written at the end of the row.
    """
    shown = [line for line in lines if line.network.count]
    height = TOP * 2 + POSITION_ROW * max(len(shown), 1)
    span = WIDTH - POSITION_LABEL - POSITION_VALUE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rochdale-chart" role="img" '
        f'aria-labelledby="positions-title positions-desc" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'focusable="false">',
        f'<title id="positions-title">{escape(str(POSITIONS_TITLE))}</title>',
        f'<desc id="positions-desc">{escape(str(POSITIONS_DESCRIPTION))}</desc>',
    ]
    for row, line in enumerate(shown):
        net, value = line.network, line.value
        points = [v for v in (net.lower, net.upper, value) if v is not None]
        low, high = min(points), max(points)
        width = (high - low) or 1.0

        def x(v: float, low: float = low, width: float = width) -> float:
            return POSITION_LABEL + (v - low) / width * span

        y = TOP + row * POSITION_ROW
        middle = y + 14
        name = str(line.metric.name)
        name = name if len(name) <= 34 else name[:33].rstrip() + "…"
        text = number(line.metric, value)
        if line.rank:
            text = _("%(figure)s, rank %(rank)d of %(count)d", figure=text, rank=line.rank, count=net.count)
        parts += [
            f'<text x="{POSITION_LABEL - 10}" y="{middle + 5}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(name)}</text>",
            f'<line x1="{POSITION_LABEL}" y1="{middle}" x2="{POSITION_LABEL + span}" y2="{middle}" stroke="{PLAIN}"/>',
            f'<rect x="{x(net.lower):.1f}" y="{y + 4}" width="{max(x(net.upper) - x(net.lower), 2):.1f}" '
            f'height="20" fill="#ffffff" stroke="{PLAIN}" stroke-width="2"/>',
            f'<line x1="{x(net.median):.1f}" y1="{y + 2}" x2="{x(net.median):.1f}" y2="{y + 26}" '
            f'stroke="{TEXT}" stroke-width="3"/>',
            f'<text x="{POSITION_LABEL + span + 8}" y="{middle + 5}" font-size="14" fill="{TEXT}">'
            f"{escape(text)}</text>",
        ]
        if value is not None:
            cx = x(value)
            parts.append(
                f'<path d="M{cx:.1f},{middle - 9} L{cx + 9:.1f},{middle} L{cx:.1f},{middle + 9} '
                f'L{cx - 9:.1f},{middle} Z" fill="{MARKED}" stroke="{TEXT}"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped

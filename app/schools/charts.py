"""The schools charts as accessible SVG: the pipeline against the target, and values self-review trends.

The pipeline uses the shared bar chart (``app.voting.charts``); the trend is
a line chart drawn here in the same way: ``role="img"`` with a title and a
description, every point labelled with its value, each line with its own
marker shape and dash so nothing depends on colour. Pages show a table with
the same figures beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.i18n import gettext as _
from app.i18n import ngettext
from app.schools import labels
from app.voting.charts import Bar, Line, bar_chart

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 190, 16, 40
TEXT = "#0b0c0c"
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#505a5f")
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4", "1 3")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float]]  # (year, value from 1 to 5)


def value_series(trend: dict[int, dict[str, float]]) -> list[Series]:
    """One line per co-operative value from a year → value → rating table (``queries.values_trend``)."""
    return [
        Series(str(label), [(year, values[value]) for year, values in trend.items()])
        for value, label in labels.VALUE.items()
    ]


def pipeline_chart(counts: dict, target: int | None) -> Markup:
    """One bar per stage (live schools marked), with the council's target as a line."""
    bars = [
        Bar(str(labels.STAGE[stage]), n, ngettext("%(num)d school", "%(num)d schools", n), stage.value == "live")
        for stage, n in counts.items()
    ]
    line = Line(target, _("Target: %(target)s", target=target)) if target is not None else None
    return bar_chart(
        "schools-pipeline",
        _("Schools in the co-operative pipeline"),
        _(
            "How many schools are at each stage of becoming a co-operative school, against the council's target "
            "number of co-operative schools. The table beside the chart gives the same figures."
        ),
        bars,
        line,
    )


def trend_chart(chart_id: str, title: str, series: Sequence[Series]) -> Markup:
    """A line per value over the years, on a scale of 1 to 5."""
    years = sorted({year for s in series for year, _v in s.points}) or [0]
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM

    def x_of(year: int) -> float:
        return LEFT + (span_x / 2 if len(years) == 1 else span_x * years.index(year) / (len(years) - 1))

    def y_of(value: float) -> float:
        return TOP + span_y * (5 - value) / 4

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rochdale-chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">'
        + escape(
            _(
                "Each line is one co-operative value, rated from 1 (lowest) to 5 (highest) each year. "
                "The table beside the chart gives the same figures."
            )
        )
        + "</desc>",
    ]
    for rating in range(1, 6):
        y = y_of(rating)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="14" fill="{TEXT}">{rating}</text>'
        )
    for year in years:
        if year:
            parts.append(
                f'<text x="{x_of(year):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="14" '
                f'fill="{TEXT}">{year}</text>'
            )
    for index, line in enumerate(series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        points = " ".join(f"{x_of(year):.1f},{y_of(value):.1f}" for year, value in line.points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(line.points) > 1:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"{dash_attr}/>')
        for year, value in line.points:
            parts.append(f'<circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="4" fill="{colour}"/>')
        y_key = TOP + 22 * index + 8
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 12}" y1="{y_key}" x2="{WIDTH - RIGHT + 40}" y2="{y_key}" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/><text x="{WIDTH - RIGHT + 46}" y="{y_key + 5}" font-size="14" '
            f'fill="{TEXT}">{escape(line.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped

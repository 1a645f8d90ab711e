"""Accessible bar charts as inline SVG, drawn on the server (no JavaScript).

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that say what
it shows and what it means (who won), referenced by ``aria-labelledby``. Every
bar has a text label and its value written beside it, and a marked bar
(elected, funded, passed) says so in words and is also drawn with a hatched
pattern, so nothing depends on colour. The page shows the same figures in an
HTML table beside the chart; the SVG is a picture of that table, not a
replacement for it.

Colours are GOV.UK Frontend's: bars contrast with the white page by more than
3:1, and text is black.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 190
ROW = 34
BAR = 22
TOP = 12
MARKED = "#1d70b8"  # govuk-colour("blue")
PLAIN = "#505a5f"  # govuk-colour("dark-grey")
TEXT = "#0b0c0c"
LABEL_CHARS = 30

Number = int | Fraction | Decimal


@dataclass(frozen=True)
class Bar:
    """One bar: its label, length, the value as written, and whether it is marked (and the word for it)."""

    label: str
    value: Number
    text: str
    marked: bool = False
    note: str = ""


@dataclass(frozen=True)
class Line:
    """A reference line across the bars (a quota, a budget), labelled in words."""

    value: Number
    label: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar], line: Line | None = None) -> Markup:
    """A horizontal bar chart as an SVG element (safe to put in a template as it is)."""
    top_value = max([Fraction(b.value) for b in bars] + ([Fraction(line.value)] if line else []) + [Fraction(1)])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW * len(bars) + (ROW if line else 0)

    def x_of(value: Number) -> float:
        return LABEL_WIDTH + float(Fraction(value) / top_value) * span

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rochdale-chart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{MARKED}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>',
    ]
    for row, bar in enumerate(bars):
        y = TOP + row * ROW
        middle = y + BAR / 2 + 5
        length = max(x_of(bar.value) - LABEL_WIDTH, 0)
        fill = f"url(#{chart_id}-hatch)" if bar.marked else PLAIN
        value_text = bar.text + (f" ({bar.note})" if bar.note else "")
        weight = ' font-weight="bold"' if bar.marked else ""
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{_fmt(middle)}" text-anchor="end" font-size="15" fill="{TEXT}">'
            f"{escape(_short(bar.label))}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_fmt(length)}" height="{BAR}" fill="{fill}" '
            f'stroke="{MARKED if bar.marked else PLAIN}" stroke-width="1"/>',
            f'<text x="{_fmt(LABEL_WIDTH + length + 6)}" y="{_fmt(middle)}" font-size="15" fill="{TEXT}"{weight}>'
            f"{escape(value_text)}</text>",
        ]
    if line is not None:
        x = x_of(line.value)
        bottom = TOP + ROW * len(bars)
        parts += [
            f'<line x1="{_fmt(x)}" y1="{TOP - 4}" x2="{_fmt(x)}" y2="{bottom}" stroke="{TEXT}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>',
            f'<text x="{_fmt(x)}" y="{bottom + 20}" text-anchor="middle" font-size="15" fill="{TEXT}">'
            f"{escape(line.label)}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped

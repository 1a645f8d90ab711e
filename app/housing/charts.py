"""The survey results chart: TP01 overall satisfaction by estate, as an accessible SVG (``app.voting.charts``).

The page puts a table with the same figures (and their counts) beside it.
A bar from fewer than ``SMALL_COUNT`` answers says so in its label.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

from app.housing.survey import EstateResults, percent_text
from app.i18n import gettext as _
from app.voting.charts import Bar, Line, bar_chart


def overall_by_estate(estates: list[EstateResults]) -> Markup:
    """One bar per estate: the percentage very or fairly satisfied overall (TP01), with its count."""
    bars = []
    for row in estates:
        share = row.shares["TP01"]
        value = Fraction(0) if share.whole == 0 else Fraction(100 * share.part, share.whole)
        if share.whole == 0:
            label = _("no answers")
        else:
            label = _(
                "%(percent)s (%(part)s of %(whole)s)", percent=percent_text(share), part=share.part, whole=share.whole
            )
        bars.append(Bar(row.name, value, label, False, _("few answers") if share.small and share.whole else ""))
    return bar_chart(
        "tp01-by-estate",
        _("Overall satisfaction (TP01) by estate"),
        _(
            "The percentage of tenants on each estate who are very or fairly satisfied with the service overall, "
            "out of those who answered the question. The table beside the chart gives the same figures."
        ),
        bars,
        Line(100, "100%"),  # the scale runs to 100 %, so a bar's length reads as its share
    )

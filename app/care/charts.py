"""The survey results chart: overall satisfaction (Q1) by service, as an accessible SVG (``app.voting.charts``).

The page puts a table with the same figures (and their counts) beside it.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

from app.care.survey import Share, percent_text
from app.i18n import gettext as _
from app.voting.charts import Bar, Line, bar_chart


def satisfaction_by_service(rows: list[tuple[str, Share]]) -> Markup:
    """One bar per service: the percentage extremely or very satisfied, with its count."""
    bars = []
    for name, share in rows:
        value = Fraction(0) if share.whole == 0 else Fraction(100 * share.part, share.whole)
        if share.whole == 0:
            label = _("no answers")
        else:
            label = _(
                "%(percent)s (%(part)s of %(whole)s)", percent=percent_text(share), part=share.part, whole=share.whole
            )
        bars.append(Bar(name, value, label, False, _("few answers") if share.small and share.whole else ""))
    return bar_chart(
        "care-satisfaction-by-service",
        _("Overall satisfaction with care and support, by service"),
        _(
            "The percentage of people on each service who are extremely or very satisfied with their care and "
            "support, out of those who answered. The table beside the chart gives the same figures."
        ),
        bars,
        Line(100, "100%"),
    )

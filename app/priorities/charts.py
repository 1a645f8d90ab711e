"""The priorities results charts: accessible SVG bars (``app.voting.charts``) with a table beside each."""

from __future__ import annotations

from markupsafe import Markup

from app.i18n import gettext, ngettext
from app.priorities.results import ExerciseResults, NeighbourhoodResult, number, percent
from app.voting.charts import Bar, bar_chart
from app.voting.models import BallotKind


def standing_chart(outcome: ExerciseResults) -> Markup:
    """Council-wide: each priority's average share across the neighbourhoods with results."""
    top = {s.key for s in outcome.standings[:3]}
    top_word = gettext("top 3")
    bars = [
        Bar(s.title, s.average_share * 100, percent(s.average_share), s.key in top, top_word if s.key in top else "")
        for s in outcome.standings
    ]
    leaders = ", ".join(s.title for s in outcome.standings[:3])
    return bar_chart(
        "council-wide",
        gettext("Council-wide standing of each priority"),
        ngettext(
            "Average share across %(num)d neighbourhood, each counted equally. The top three: %(leaders)s.",
            "Average share across %(num)d neighbourhoods, each counted equally. The top three: %(leaders)s.",
            outcome.with_results,
            leaders=leaders,
        ),
        bars,
    )


def _chart_title(name: str, kind: BallotKind) -> str:
    """One whole title per way of scoring, so the measure is never a word glued into a sentence."""
    if kind is BallotKind.POINTS:
        return gettext("%(name)s: points for each priority", name=name)
    if kind is BallotKind.APPROVAL:
        return gettext("%(name)s: votes for each priority", name=name)
    return gettext("%(name)s: first preferences for each priority", name=name)


def neighbourhood_chart(row: NeighbourhoodResult, kind: BallotKind) -> Markup:
    """One neighbourhood: each priority's score, winners marked (``kind`` is how the ballots scored them)."""
    winners = set(row.winners)
    chosen_word = gettext("chosen")
    bars = [
        Bar(
            row.titles.get(k, k),
            v,
            number(v),
            row.titles.get(k) in winners,
            chosen_word if row.titles.get(k) in winners else "",
        )
        for k, v in row.ranked_scores()
    ]
    return bar_chart(
        f"n{row.neighbourhood.id}",
        _chart_title(row.neighbourhood.name, kind),
        " ".join(
            [
                ngettext("%(count)s paper.", "%(count)s papers.", row.papers, count=f"{row.papers:,}"),
                gettext("Chosen: %(names)s.", names=", ".join(row.winners)),
            ]
        ),
        bars,
    )

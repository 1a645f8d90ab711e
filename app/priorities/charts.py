"""The priorities results charts: accessible SVG bars (``app.voting.charts``) with a table beside each."""

from __future__ import annotations

from markupsafe import Markup

from app.priorities.results import ExerciseResults, NeighbourhoodResult, number, percent
from app.voting.charts import Bar, bar_chart


def standing_chart(outcome: ExerciseResults) -> Markup:
    """Council-wide: each priority's average share across the neighbourhoods with results."""
    top = {s.key for s in outcome.standings[:3]}
    bars = [
        Bar(s.title, s.average_share * 100, percent(s.average_share), s.key in top, "top 3" if s.key in top else "")
        for s in outcome.standings
    ]
    leaders = ", ".join(s.title for s in outcome.standings[:3])
    return bar_chart(
        "council-wide",
        "Council-wide standing of each priority",
        f"Average share across {outcome.with_results} neighbourhoods, each counted equally. The top three: {leaders}.",
        bars,
    )


def neighbourhood_chart(row: NeighbourhoodResult, words: object) -> Markup:
    """One neighbourhood: each priority's score, winners marked."""
    winners = set(row.winners)
    bars = [
        Bar(
            row.titles.get(k, k),
            v,
            number(v),
            row.titles.get(k) in winners,
            "chosen" if row.titles.get(k) in winners else "",
        )
        for k, v in row.ranked_scores()
    ]
    return bar_chart(
        f"n{row.neighbourhood.id}",
        f"{row.neighbourhood.name}: {words} for each priority",
        f"{row.papers:,} papers. Chosen: {', '.join(row.winners)}.",
        bars,
    )

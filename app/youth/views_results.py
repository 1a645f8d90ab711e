"""Public youth pages after the vote: a neighbourhood's results, its delivery progress, and unsubscribing.

Results come from the neighbourhood's published ballot (``app.voting``'s own
result view, including the Equal Shares and greedy comparison); before
publication the page says so. The progress page shows funded services, their
status, sessions and attendance as counts only.
"""

from __future__ import annotations

from flask import abort, render_template, request

from app.extensions import db
from app.i18n import gettext as _
from app.voting import counting
from app.voting.charts import Bar, bar_chart
from app.voting.results_display import build_view
from app.web.loading import get_or_404
from app.youth import delivery, notify, queries, voting
from app.youth.models import YouthRound
from tenants.context import current_council_id
from tenants.models import Neighbourhood


def _load(round_id: int, neighbourhood_id: int) -> tuple[YouthRound, Neighbourhood]:
    round_ = get_or_404(YouthRound, round_id)
    neighbourhood = get_or_404(Neighbourhood, neighbourhood_id)
    if queries.budget_for(round_, neighbourhood.id) is None:
        abort(404)  # not taking part in this round
    return round_, neighbourhood


def results(round_id: int, neighbourhood_id: int):
    round_, neighbourhood = _load(round_id, neighbourhood_id)
    ballot = voting.round_ballots(round_).get(neighbourhood.id)
    outcome = voting.outcome(round_, ballot) if ballot is not None else None
    view = None
    if outcome is not None and outcome.published:
        options = counting.ballot_options(ballot)
        view = build_view(ballot, options, counting.current_result(ballot), counting.ballot_spec(ballot, options))
    return render_template(
        "youth/results.html",
        round=round_,
        neighbourhood=neighbourhood,
        ballot=ballot,
        outcome=outcome,
        view=view,
        service_names=queries.service_names(round_),
    )


def progress_chart(lines: list[delivery.Progress]):
    """Sessions delivered against sessions planned, one bar per funded service (an accessible SVG)."""
    bars = [
        Bar(
            line.proposal.title,
            line.sessions_delivered,
            f"{line.sessions_delivered:,} / {line.sessions_planned:,}",
            line.commission is not None and line.commission.status.value == "delivered",
            _("delivered") if line.commission is not None and line.commission.status.value == "delivered" else "",
        )
        for line in lines
    ]
    delivered = sum(line.sessions_delivered for line in lines)
    planned = sum(line.sessions_planned for line in lines)
    return bar_chart(
        "delivery-progress",
        _("Sessions delivered for each funded service"),
        _(
            "%(delivered)s of %(planned)s planned sessions delivered across %(services)s funded services.",
            delivered=f"{delivered:,}",
            planned=f"{planned:,}",
            services=f"{len(lines):,}",
        ),
        bars,
    )


def progress(round_id: int, neighbourhood_id: int):
    round_, neighbourhood = _load(round_id, neighbourhood_id)
    lines = delivery.progress(round_, neighbourhood.id)
    return render_template(
        "youth/progress.html",
        round=round_,
        neighbourhood=neighbourhood,
        lines=lines,
        chart=progress_chart(lines) if lines else None,
        totals={
            "planned": sum(line.sessions_planned for line in lines),
            "delivered": sum(line.sessions_delivered for line in lines),
            "attendance": sum(line.attendance for line in lines),
        },
    )


def unsubscribe(token: str):
    """Stop youth emails for the person the signed token names.

    A GET only asks (mail scanners and link previews follow links, and a GET changes
    nothing here); the POST stops the emails. The POST comes from the page's button or
    from a mail client's one-click request (RFC 8058, ``List-Unsubscribe-Post``), which
    carries no cookies and so no CSRF token: the view is exempt from CSRF, and the
    signed token in the address is the credential.
    """
    named = notify.read_token(token)
    if named is None or named[0] != current_council_id():
        return render_template("youth/unsubscribe.html", state="broken"), 404
    if request.method != "POST":
        return render_template("youth/unsubscribe.html", state="confirm", token=token)
    notify.unsubscribe(named[1])
    db.session.commit()
    return render_template("youth/unsubscribe.html", state="done")

"""What billing changes on every page: read-only modules after a lapse, and the banner for administrators.

Both do nothing when billing is off (no Stripe key: self-hosted).

- A state-changing request (POST and the like) to a module's pages, from a
  council whose subscription lapsed more than the grace period ago, is refused
  with a page that says why (403). Reading still works and nothing is deleted.
- Council administrators see a banner on every page while the subscription
  is unpaid, saying when (or that) modules become read-only.
"""

from __future__ import annotations

from flask import Flask, g, render_template, request

from app.billing import gateway

# Blueprints (as nested under the council blueprint) whose pages belong to council modules.
MODULE_BLUEPRINTS = frozenset(
    {
        "council.housing",
        "council.youth",
        "council.priorities",
        "council.governance",
        "council.elections",
        "council.meetings",
        "council.voting",
        "council.schools",
        "council.care",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _council_summary():
    if getattr(g, "council", None) is None or not gateway.is_configured():
        return None
    if "billing_summary" not in g:
        from app.billing.queries import summary

        g.billing_summary = summary()
    return g.billing_summary


def init_billing(app: Flask) -> None:
    """Install the read-only check and the administrators' banner."""

    @app.before_request
    def _refuse_writes_when_lapsed():
        if request.method in SAFE_METHODS or request.blueprint not in MODULE_BLUEPRINTS:
            return None
        summary = _council_summary()
        if summary is None or not summary.standing.read_only:
            return None
        return render_template("billing/read_only.html", council=g.council, summary=summary), 403

    @app.context_processor
    def _billing_banner():
        summary = _council_summary()
        if summary is None or not summary.standing.warn:
            return {"billing_banner": None}
        from app.auth.models import Role
        from app.auth.roles import current_council_role

        role = current_council_role()
        if role is None or role.role is not Role.COUNCIL_ADMIN:
            return {"billing_banner": None}
        from app.voting.timing import format_date

        return {"billing_banner": summary, "billing_read_only_on": format_date(summary.read_only_from)}

"""What billing changes on every page: read-only modules, and the banner for administrators.

Both do nothing when billing is off (no Stripe key: self-hosted).

- A state-changing request (POST and the like) to a module's pages is refused
  with a page that says why and how to put it right (403), when the council's
  subscription lapsed more than the grace period ago (every module), or when
  the module is switched on but not in the council's plan (after a downgrade).
  Reading still works and nothing is deleted or switched off.
- Council administrators see a banner on every page while the subscription
  is unpaid, saying when (or that) modules become read-only, and while a
  switched-on module is outside the plan.
"""

from __future__ import annotations

from flask import Flask, g, render_template, request

from app.billing import gateway
from app.billing.request_module import BALLOT_BLUEPRINT, BLUEPRINT_MODULES, SOCIETY_BLUEPRINTS, module_of

# Blueprints (as nested under the council blueprint) whose pages belong to council modules.
MODULE_BLUEPRINTS = frozenset({*BLUEPRINT_MODULES, *SOCIETY_BLUEPRINTS, BALLOT_BLUEPRINT})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _council_summary():
    if getattr(g, "council", None) is None or not gateway.is_configured():
        return None
    if "billing_summary" not in g:
        from app.billing.queries import summary

        g.billing_summary = summary()
    return g.billing_summary


def _is_council_admin() -> bool:
    from app.auth.models import Role
    from app.auth.roles import current_council_role

    role = current_council_role()
    return role is not None and role.role is Role.COUNCIL_ADMIN


def init_billing(app: Flask) -> None:
    """Install the read-only check and the administrators' banner."""

    @app.before_request
    def _refuse_writes_when_lapsed_or_outside_plan():
        if request.method in SAFE_METHODS or request.blueprint not in MODULE_BLUEPRINTS:
            return None
        summary = _council_summary()
        if summary is None:
            return None
        if summary.standing.read_only:
            return render_template("billing/read_only.html", council=g.council, summary=summary), 403
        if not summary.holds_back_a_module:
            return None  # the plan covers every module: no need to look up which one this is (a query for a ballot)
        module = module_of(request.blueprint, request.view_args, request.form)
        if module is None or summary.may_write(module):
            return None
        from tenants.features import MODULES, is_module_enabled

        if not is_module_enabled(module):
            return None  # the module's own pages answer 404
        return (
            render_template(
                "billing/not_in_plan.html",
                council=g.council,
                summary=summary,
                module=MODULES[module],
                admin=_is_council_admin(),
            ),
            403,
        )

    @app.context_processor
    def _billing_banner():
        # Only administrators see the banner: ask the role (already loaded) before reading the summary (a query).
        summary = _council_summary() if _is_council_admin() else None
        if summary is None:
            return {"billing_banner": None}
        read_only_modules = []
        if not summary.standing.read_only:
            from tenants.features import MODULES, enabled_modules

            read_only_modules = [str(MODULES[key].title) for key in summary.read_only_modules(enabled_modules())]
        if not summary.standing.warn and not read_only_modules:
            return {"billing_banner": None}
        from app.voting.timing import format_date

        return {
            "billing_banner": summary,
            "billing_read_only_on": format_date(summary.read_only_from),
            "billing_read_only_modules": read_only_modules,
        }

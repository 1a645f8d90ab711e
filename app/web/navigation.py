"""What the layout needs on every page: the council, and the person's links.

The links depend only on the council, the person's role there, whether they
are signed in (and a platform administrator) and the language, so they are
built once per process for each such key (every page asks for them).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from flask_login import current_user

from app.auth.roles import current_council_role
from app.i18n import current_language
from app.i18n import gettext as _
from app.web.kept import kept
from app.web.urls import url_for


def navigation_context() -> dict[str, Any]:
    """The council, the person's links, and the home page's address (built once for the header, menu and crumbs)."""
    council = getattr(g, "council", None)
    if g.get("database_unavailable"):  # the 503 page: nothing that needs the database
        return {"council": council, "nav_items": [], "home_url": url_for("web.index")}
    role = current_council_role() if council is not None else None
    signed_in = current_user.is_authenticated
    key = (
        request.script_root,
        current_language(),
        council.id if council is not None else None,
        council.slug if council is not None else None,
        role.role.value if role is not None else None,
        signed_in,
        signed_in and current_user.is_platform_admin,
    )
    links = kept("rochdale_navigation", key, lambda: _links(council, role, signed_in))
    return {"council": council, **links}


def _links(council: Any, role: Any, signed_in: bool) -> dict[str, Any]:
    """The header's links and the home page's address for one key of :func:`navigation_context`."""
    items: list[dict[str, Any]] = []
    home_url = url_for("council.council_home.home") if council is not None else url_for("web.index")
    if council is not None:
        items.append({"text": _("Home"), "href": home_url})
        if "council.voting.index" in current_app.view_functions:
            items.append({"text": _("Ballots"), "href": url_for("council.voting.index")})
        if role is not None and role.role.value in ("council_admin",):
            items.append({"text": _("Administration"), "href": url_for("council.council_admin.index")})
    if signed_in:
        if current_user.is_platform_admin:
            items.append({"text": _("Platform"), "href": url_for("platform.councils")})
        items.append({"text": _("Sign out"), "href": url_for("auth.sign_out")})
    else:
        items.append({"text": _("Sign in"), "href": url_for("auth.sign_in")})
    return {"nav_items": items, "home_url": home_url}

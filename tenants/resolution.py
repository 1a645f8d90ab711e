"""Resolving ``/c/<council>/…`` to a council and entering its context.

Every council page is registered on the blueprint made here (module blueprints
are nested under it), so a council page cannot exist without the council being
resolved first. An unknown slug is a 404, exactly like an unknown page.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g
from sqlalchemy import select

from app.extensions import db
from tenants.context import enter_council, leave_council
from tenants.council_cache import council_cache
from tenants.models import Council

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def find_council(slug: str) -> Council | None:
    """The active council with ``slug``, or ``None`` (from this process's short-lived cache when it can)."""
    if not SLUG_PATTERN.match(slug) or len(slug) > 63:
        return None
    cache = council_cache(current_app)
    council = cache.get(db.session, slug)
    if council is None:
        council = db.session.scalar(select(Council).where(Council.slug == slug, Council.is_active.is_(True)))
        if council is not None:
            cache.put(council)
    return council


# The largest id PostgreSQL's bigint holds; an id from a URL beyond it names nothing.
MAX_ID = 2**63 - 1


def ids_in_range(values: dict[str, Any] | None) -> bool:
    """Whether every ``*_id`` integer in a URL could be a row's id (1 to bigint's maximum).

    Checked once for every council page, before any view runs: an id the
    database could not even compare is a 404, never a database error.
    """
    return all(
        0 < value <= MAX_ID for name, value in (values or {}).items() if name.endswith("_id") and isinstance(value, int)
    )


def make_council_blueprint() -> Blueprint:
    """The parent blueprint for every council page, mounted at ``/c/<council>``."""
    bp = Blueprint("council", __name__, url_prefix="/c/<council>")

    @bp.url_value_preprocessor
    def _resolve(endpoint: str | None, values: dict[str, Any] | None) -> None:
        slug = (values or {}).pop("council", None)
        council = find_council(slug) if isinstance(slug, str) else None
        if council is None or not ids_in_range(values):
            abort(404)
        g.council = council
        g._council_token = enter_council(council.id)

    @bp.url_defaults
    def _fill_council(endpoint: str, values: dict[str, Any]) -> None:
        if "council" not in values and getattr(g, "council", None) is not None:
            values["council"] = g.council.slug

    return bp


def install_council_teardown(app: Flask) -> None:
    """Leave the council's context at the end of every request."""

    @app.teardown_request
    def _leave(exc: BaseException | None) -> None:
        token = g.pop("_council_token", None)
        if token is not None:
            leave_council(token)

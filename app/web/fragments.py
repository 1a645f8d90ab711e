"""The layout's header and footer, rendered once per process for each distinct input.

Every page renders the same header (the council's name, the person's links)
and footer (support links, the language switcher). Their markup depends only on
the language, the mount point and the values the layout passes in, yet
rendering them was about a tenth of the busiest page (the receipt every vote
shows). So each is rendered once per process and key, and kept (bounded). The
one per-session value in them, the CSRF token of the footer's language form, is
rendered as a random placeholder and put in on the way out.

A fragment sees only the values passed to it and the environment's globals
(``_``, ``url_for``, ``current_language`` …), never the request's context
processors: that is what makes the key complete. With template auto-reload on
(debug), nothing is kept, so an edited template shows at once.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, g, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.i18n import current_language
from app.web.kept import frozen, kept

# Random per process, so no text a person typed (a council's name) can be mistaken for it.
_TOKEN_PLACEHOLDER = f"csrf-token-{secrets.token_hex(16)}"


def placeholder_token() -> str:
    return _TOKEN_PLACEHOLDER


def layout_fragment(name: str, **values: Any) -> Markup:
    """The template ``name`` rendered with ``values``: from this process's cache when it has been rendered before."""
    env = current_app.jinja_env
    if env.auto_reload:
        return Markup(with_csrf_token(_render(name, values)))  # noqa: S704 - our own template's output
    try:
        key = (name, current_language(), request.script_root, frozen(values))
        html = kept("rochdale_layout_fragments", key, lambda: _render(name, values))
    except TypeError:  # a value that cannot be keyed: render it every time
        return Markup(with_csrf_token(_render(name, values)))  # noqa: S704 - our own template's output
    return Markup(with_csrf_token(html))  # noqa: S704 - our own template's output


def _render(name: str, values: dict[str, Any]) -> str:
    return current_app.jinja_env.get_template(name).render(values, csrf_token=placeholder_token)


def with_csrf_token(html: str) -> str:
    """``html`` with this request's CSRF token where the placeholder token stands."""
    if g.get("rendering_kept_shell"):  # a kept page (app/web/kept_pages.py) puts the token in itself
        return html
    return html.replace(_TOKEN_PLACEHOLDER, generate_csrf()) if _TOKEN_PLACEHOLDER in html else html

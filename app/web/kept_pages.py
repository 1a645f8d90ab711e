"""Whole pages kept per process, for a page that is the same for everyone but for a few random values.

The receipt a vote shows is the busiest page in the app, and it is the same
for everybody who votes in one ballot in one language except for three random
strings: the receipt code, the CSP nonce and the CSRF token of the footer's
language form. Rendering it was a quarter of a vote's time. So it is rendered
once per process and key with a placeholder for each of those values (the
*shell*), and the values are put in on the way out.

The key is complete by construction, not by care:

- it holds every value the template is given, the view's own and those the
  context processors add, frozen (``app.web.kept.frozen``: database rows by all their columns); a value
  that cannot be frozen (a billing summary, shown only to administrators) makes
  the page render the usual way;
- the shell is rendered without the person: ``current_user``, ``session``,
  ``request`` and ``g`` are stand-ins that fail when a template touches them,
  and a failure makes the page render the usual way, so nothing of one person
  can be kept and shown to another;
- the language and the mount point are in the key; pending flash messages
  (read from the session) make the page render the usual way.

Only pages without a form of their own may be kept: WTForms writes a form's
CSRF token itself. As a last guard, a shell holding this request's real nonce
or token is not kept. With template auto-reload on (debug) nothing is kept.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Hashable
from typing import Any

from flask import current_app, g, render_template, request, session
from markupsafe import escape

from app.i18n import current_language
from app.web import csp_nonce
from app.web.fragments import placeholder_token, with_csrf_token
from app.web.kept import frozen, kept

log = logging.getLogger(__name__)

_STORE = "rochdale_kept_pages"
# Random per process, like the fragments' token placeholder, so no text anybody typed can be mistaken for one.
_NONCE_PLACEHOLDER = f"csp-nonce-{secrets.token_hex(16)}"
_FILL_PLACEHOLDER = f"kept-fill-{secrets.token_hex(16)}-"
# The person and the request: what a kept page must not show. Flask and Flask-Login put them in every context.
_WITHHELD = ("current_user", "session", "request", "g")


class NotKeptError(Exception):
    """The page cannot be kept: render it the usual way."""


class _Withheld:
    """Stands in for ``current_user``, ``session``, ``request`` or ``g`` while a shell is rendered."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        raise NotKeptError(f"the page reads {self._name}.{attribute}")

    def __bool__(self) -> bool:
        raise NotKeptError(f"the page tests {self._name}")

    def __getitem__(self, item: Any) -> Any:
        raise NotKeptError(f"the page reads {self._name}[{item!r}]")

    def _used(self, *_: Any) -> Any:
        raise NotKeptError(f"the page uses {self._name}")

    # Printed, compared, iterated, measured, searched: any use at all fails, so the page is rendered the usual way.
    __str__ = __repr__ = __eq__ = __ne__ = __iter__ = __len__ = __contains__ = _used
    __hash__ = None  # type: ignore[assignment]


def render_kept(template: str, fills: dict[str, str], **context: Any) -> str:
    """``render_template(template, **context, **fills)``, from a kept shell when the page allows it.

    ``fills`` are the values that differ on every request (a receipt code):
    each is rendered as a placeholder in the shell and put in, escaped, here.
    """
    if current_app.jinja_env.auto_reload or session.get("_flashes"):
        return render_template(template, **context, **fills)
    full = dict(context)
    current_app.update_template_context(full)  # the context processors' values, as rendering would add them
    try:
        key = (
            template,
            current_language(),
            request.script_root,
            tuple(sorted(fills)),
            _freeze_context(full),
        )
        shell = kept(_STORE, key, lambda: _shell(template, fills, context))
    except NotKeptError as reason:
        log.debug("page %s not kept: %s", template, reason)
        return render_template(template, **context, **fills)
    return _filled(shell, fills)


def _freeze_context(context: dict[str, Any]) -> Hashable:
    """The template's values frozen by name; the person, the request and the app's settings left out."""
    parts = []
    for name in sorted(context):
        if name in _WITHHELD or name == "config":
            continue
        try:
            parts.append((name, frozen(context[name])))
        except TypeError as reason:
            raise NotKeptError(f"{name}: {reason}") from None
    return tuple(parts)


def _shell(template: str, fills: dict[str, str], context: dict[str, Any]) -> str:
    """The page with placeholders for the nonce, the CSRF token and ``fills``, rendered without the person."""
    real_nonce = g.pop("csp_nonce", None)
    g.csp_nonce = _NONCE_PLACEHOLDER
    g.rendering_kept_shell = True
    try:
        shell = render_template(
            template,
            **context,
            **{name: _FILL_PLACEHOLDER + name for name in fills},
            **{name: _Withheld(name) for name in _WITHHELD},
            csrf_token=placeholder_token,
        )
    finally:
        g.pop("rendering_kept_shell", None)
        g.pop("csp_nonce", None)
        if real_nonce is not None:
            g.csp_nonce = real_nonce
    for secret in (real_nonce, g.get("csrf_token")):
        if secret and secret in shell:  # a form's own token or a nonce read some other way: one person's secret
            raise NotKeptError("the page holds this request's nonce or CSRF token")
    return shell


def _filled(shell: str, fills: dict[str, str]) -> str:
    page = shell
    for name, value in fills.items():
        page = page.replace(_FILL_PLACEHOLDER + name, str(escape(value)))
    return with_csrf_token(page.replace(_NONCE_PLACEHOLDER, csp_nonce()))

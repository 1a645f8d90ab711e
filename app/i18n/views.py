"""The language switcher: a form in every page's footer (works without JavaScript)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session

from app.i18n import LANGUAGES, SESSION_KEY

bp = Blueprint("i18n", __name__)


def _back_to(referrer: str | None) -> str:
    """The path of the page the form was sent from, if it is on this site; else the start page.

    The page is taken from the ``Referer`` header (sent for same-origin forms under
    our ``same-origin`` referrer policy) rather than a hidden field, so pages never
    echo their own URL, which may hold a token, into their HTML.
    """
    if not referrer:
        return "/"
    parts = urlsplit(referrer)
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return "/"
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return f"{path}?{parts.query}" if parts.query else path


@bp.post("/language")
def choose_language():
    """Remember the chosen interface language in the session and go back to the page."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400, description="Choose English or Cymraeg.")
    session[SESSION_KEY] = language
    return redirect(_back_to(request.referrer), code=303)

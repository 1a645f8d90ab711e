"""The web layer shared by every page: templates, security headers, errors.

Pages use GOV.UK Frontend (its Jinja macros from ``govuk-frontend-jinja``) with
the generic header carrying the council's name: never the crown or the GDS
Transport typeface, which are for GOV.UK only.
"""

from __future__ import annotations

import secrets

from flask import Flask, g, request, url_for
from flask_login import current_user
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from app.web.errors import register_error_handlers
from app.web.fragments import layout_fragment
from app.web.urls import url_for as cached_url_for


def init_web(app: Flask) -> None:
    """Attach templates, security headers and error pages to ``app``."""
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["url_for"] = cached_url_for
    app.jinja_env.globals["layout_fragment"] = layout_fragment
    app.after_request(_security_headers)
    register_error_handlers(app)

    from app.web.navigation import navigation_context

    app.context_processor(navigation_context)


_STATIC_URLS: dict[tuple[str, str], str] = {}


def static_url(filename: str) -> str:
    """``url_for("static", filename=...)``, remembered per mount point: every page asks for the same few."""
    key = (request.script_root, filename)
    url = _STATIC_URLS.get(key)
    if url is None:
        url = _STATIC_URLS[key] = url_for("static", filename=filename)
    return url


def csp_nonce() -> str:
    """This response's CSP nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _security_headers(response):
    nonce = csp_nonce()
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint == "static":
        return response  # the same for everyone: no need to load the user (a query) to say so
    if current_user.is_authenticated or request.path.startswith(("/sign-in", "/password")):
        response.headers["Cache-Control"] = "no-store"
    return response

"""Interface language: English and Welsh through Flask-Babel.

Every string a person reads is marked for translation: ``_("…")`` in
templates and ``gettext`` / ``lazy_gettext`` (imported from here) in Python.
The catalogue lives in ``app/translations/<lang>/LC_MESSAGES/messages.po``;
``make install`` compiles it, ``make translations`` re-extracts and updates it.
English is complete by construction (the source strings); the Welsh catalogue
may lag, and an untranslated string falls back to English.

The language is the one the person chose with the switcher in the footer
(kept in their session), else the best match for their browser's
``Accept-Language``, else English.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale, gettext, lazy_gettext, ngettext

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"

babel = Babel()


def select_language() -> str:
    """The language for this request: the person's choice, their browser's, or English.

    Outside a request (jobs, the command line, operations called from tests) it is English.
    """
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The code of the language this request is answered in (``en`` or ``cy``)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel (and ``_`` in templates) to ``app``."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES


__all__ = ["LANGUAGES", "current_language", "gettext", "init_i18n", "lazy_gettext", "ngettext", "select_language"]

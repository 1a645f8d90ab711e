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

Messages raised in Python (how this module's helpers are meant to be used):

* Form labels, descriptions and validator messages are built at import time,
  so they use ``lazy_gettext`` (imported as ``_l``): the string is looked up
  when the form is rendered, in that request's language.
* ``flash`` and other view-time text use ``gettext`` with named ``%(name)s``
  placeholders, never concatenation, so a translator can move the words.
* Errors that operations raise for people (``VotingError``, ``PaperError``,
  ``AdminError`` and the like) carry a *lazy* message: ``_l("… %(name)s …",
  name=value)``. Operations run before the view knows how the message will be
  shown, and the same exception can reach a page (translated when the page is
  rendered) or a log line. Where such a message is also stored or logged (the
  audit chain, application logs, CLI output), the code writes
  ``in_english(message)`` so the record is always English whatever language the
  person who caused it reads. ``flash`` needs a plain ``str`` (the session is
  JSON), so views flash ``str(message)``, which is the request's language.
"""

from __future__ import annotations

from babel import Locale
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, LazyString, force_locale, get_locale, gettext, lazy_gettext, ngettext

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"

babel = Babel()


# Parsed once: Flask-Babel parses the selector's answer on every request, and parsing looks for the locale's
# data file on disk. A parsed ``Locale`` is passed through as it is.
_LOCALES: dict[str, Locale] = {code: Locale.parse(code) for code in LANGUAGES}


def select_language() -> Locale:
    """The language for this request: the person's choice, their browser's, or English."""
    if not has_request_context():
        return _LOCALES[DEFAULT_LANGUAGE]  # a job or the CLI: English (messages for logs and people's email)
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return _LOCALES[chosen]
    return _LOCALES[request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE]


def current_language() -> str:
    """The code of the language this request is answered in (``en`` or ``cy``)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def in_english(message: object) -> str:
    """``message`` (a plain or lazy string) as English text, for logs and stored records."""
    with force_locale(DEFAULT_LANGUAGE):
        return str(message)


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel (and ``_`` in templates) to ``app``."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_language)
    from app.i18n.templates import install_template_gettext

    install_template_gettext(app)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    from app.i18n.stored import shown_message

    # A message a job stored untranslated (app.i18n.stored), in the reader's language.
    app.jinja_env.filters["shown_message"] = shown_message


_l = lazy_gettext  # the short name modules import for module-level (lazy) strings

__all__ = [
    "LANGUAGES",
    "LazyString",
    "_l",
    "current_language",
    "gettext",
    "in_english",
    "init_i18n",
    "lazy_gettext",
    "ngettext",
    "select_language",
]

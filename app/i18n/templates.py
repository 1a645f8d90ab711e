"""``_()`` in templates without Flask-Babel's per-call lookups.

Flask-Babel's template ``gettext`` finds the domain, the locale and the
translations again for every string (a dozen context-local lookups each); a
page has dozens of strings, and this was a fifth of rendering a page. Here the
translations are looked up once per request and language and kept in
Flask-Babel's own per-request namespace, keyed by the locale it has chosen, so
``flask_babel.force_locale`` (a Welsh email during an English request) still
gets the right catalogue.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

_CACHE_ATTRIBUTE = "rochdale_translations"


def _translations() -> Any:
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None) if context is not None else None
    if locale is None:  # the first string of the request: let Flask-Babel choose and remember
        get_locale()
        context = g.get("_flask_babel")
        locale = getattr(context, "babel_locale", None) if context is not None else None
        if locale is None:
            return get_translations()
    cache = context.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    translations = cache.get(locale)
    if translations is None:
        translations = cache[locale] = get_translations()
    return translations


@pass_eval_context
def _gettext(eval_context: EvalContext, string: str, **variables: Any) -> str:
    """Jinja's "newstyle" ``gettext`` in one call: translate, mark safe when autoescaping, fill in (escaped) values.

    Jinja's own wraps each call in two more (an alias that resolves
    ``gettext`` from the context, then the wrapper around our function); a
    page has a few dozen strings, so the layers showed in every page's time.
    """
    text = _translations().ugettext(string)
    if eval_context.autoescape:
        text = Markup(text)  # noqa: S704 - our own msgids and catalogues, as Jinja itself trusts them
    return text % variables  # always, as Jinja does, so "%%" means "%" with or without values


def install_template_gettext(app: Flask) -> None:
    """Replace the template callables Flask-Babel installed with the cached ones (same behaviour)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    # ``_`` and ``{% trans %}`` (which calls ``gettext``) go straight to the one-call version.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _gettext

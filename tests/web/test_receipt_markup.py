"""The receipt page writes out the GOV.UK panel and warning text; they must match what the macros render."""

from __future__ import annotations

import re

from flask import render_template_string

MACROS = """
{% from "govuk_frontend_jinja/components/panel/macro.html" import govukPanel %}
{% from "govuk_frontend_jinja/components/warning-text/macro.html" import govukWarningText %}
{{ govukPanel({"titleText": title, "html": body}) }}
{{ govukWarningText({"text": warning, "iconFallbackText": "Warning"}) }}
"""

WRITTEN_OUT = """
<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">{{ title }}</h1>
  <div class="govuk-panel__body">
    {{ body | safe }}
  </div>
</div>
<div class="govuk-warning-text">
  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
  <strong class="govuk-warning-text__text">
    <span class="govuk-visually-hidden">Warning</span>
    {{ warning }}
  </strong>
</div>
"""


def _normalised(html: str) -> str:
    # Whitespace next to a tag is not significant here (block elements); inside text it is kept as one space.
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def test_the_receipt_panel_and_warning_match_the_govuk_macros(app):
    values = {
        "title": "Your vote has been cast",
        "body": "Your receipt code<br><strong>CODE</strong>",
        "warning": "Keep this code.",
    }
    with app.test_request_context("/"):
        from_macros = render_template_string(MACROS, **values)
        written = render_template_string(WRITTEN_OUT, **values)
        template_source = app.jinja_env.loader.get_source(app.jinja_env, "voting/cast.html")[0]
    assert _normalised(from_macros) == _normalised(written)
    # And the page itself uses exactly this markup around its translated strings.
    for fragment in (
        '<div class="govuk-panel govuk-panel--confirmation">',
        '<h1 class="govuk-panel__title">',
        '<div class="govuk-panel__body">',
        '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>',
        '<strong class="govuk-warning-text__text">',
        '<span class="govuk-visually-hidden">{{ _("Warning") }}</span>',
    ):
        assert fragment in template_source

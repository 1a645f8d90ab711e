"""Our page skeleton (layout.html + partials/header.html) matches GOV.UK Frontend's template and macros.

layout.html writes out the markup of govuk-frontend-jinja's page template, generic
header and service navigation instead of calling them on every render. This
renders the same page both ways and compares the elements, their classes and
their accessibility attributes, so an upgrade of GOV.UK Frontend that changes
the markup fails here rather than drifting silently.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import render_template_string

REFERENCE = """
{% extends "govuk_frontend_jinja/template.html" %}
{% from "govuk_frontend_jinja/components/generic-header/macro.html" import govukGenericHeader %}
{% from "govuk_frontend_jinja/components/service-navigation/macro.html" import govukServiceNavigation %}
{% set assetPath = "/static/govuk/assets" %}
{% set cspNonce = "n" %}
{% block pageTitle %}Title{% endblock %}
{% block header %}
  <header class="govuk-template__header">
    {{ govukGenericHeader({"url": "/", "logoText": "Rochdale"}) }}
    {{ govukServiceNavigation({"serviceName": "Rochdale", "serviceUrl": "/", "navigation": nav_items,
                               "navigationLabel": "Main", "menuButtonText": "Menu"}) }}
  </header>
{% endblock %}
{% block content %}<p>Body</p>{% endblock %}
{% block footer %}<footer class="govuk-footer"></footer>{% endblock %}
"""

OURS = """
{% extends "layout.html" %}
{% set assetPath = "/static/govuk/assets" %}
{% set cspNonce = "n" %}
{% block pageTitle %}Title{% endblock %}
{% block header %}
  {% with home_url = "/", site_name = "Rochdale", service_name = "Rochdale" %}
    {% include "partials/header.html" %}
  {% endwith %}
{% endblock %}
{% block content %}<p>Body</p>{% endblock %}
{% block footer %}<footer class="govuk-footer"></footer>{% endblock %}
"""

KEPT = (
    "class",
    "id",
    "href",
    "aria-label",
    "aria-controls",
    "aria-current",
    "aria-hidden",
    "hidden",
    "data-module",
    "type",
    "rel",
    "sizes",
    "name",
    "content",
    "lang",
    "charset",
    "nonce",
)


class _Shape(HTMLParser):
    """Elements in order, each with the attributes that matter for looks and accessibility, and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        kept = tuple(sorted((k, " ".join(sorted((v or "").split()))) for k, v in attrs if k in KEPT))
        self.items.append((tag, kept))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def _shape(html: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(html)
    return parser.items


@pytest.mark.parametrize(
    "nav_items",
    [
        [{"text": "Sign in", "href": "/sign-in"}],
        [{"text": "Home", "href": "/c/x/"}, {"text": "Ballots", "href": "/c/x/ballots"}],
        [{"text": "Home", "href": "/c/x/", "current": True}, {"text": "Sign out", "href": "/sign-out"}],
    ],
)
def test_our_layout_renders_what_the_gov_uk_template_renders(app, nav_items):
    with app.test_request_context("/"):
        ours = render_template_string(OURS, nav_items=nav_items)
        reference = render_template_string(REFERENCE, nav_items=nav_items)
    assert _shape(ours) == _shape(reference)


@pytest.mark.parametrize(
    "items",
    [
        [{"text": "Rochdale Borough Council", "href": "/c/rochdale/"}],
        [{"text": "Rochdale & Heywood <Co-op>", "href": "/c/x/"}, {"text": "Ballots", "href": "/c/x/ballots?a=1&b=2"}],
        [{"text": "Home", "href": "/c/x/"}, {"html": "<strong>Bold</strong> trail", "href": "/c/x/y"}],
        [{"text": "Home", "href": "/c/x/"}, {"text": "This page"}],
    ],
)
def test_our_breadcrumbs_render_what_the_gov_uk_macro_renders(app, items):
    macro = (
        '{% from "govuk_frontend_jinja/components/breadcrumbs/macro.html" import govukBreadcrumbs %}'
        '{{ govukBreadcrumbs({"items": items}) }}'
    )
    with app.test_request_context("/"):
        ours = render_template_string('{% include "partials/breadcrumbs.html" %}', breadcrumb_items=items)
        reference = render_template_string(macro, items=items)
    assert _shape(ours) == _shape(reference)
    assert ("&lt;Co-op&gt;" in ours) == ("&lt;Co-op&gt;" in reference)

"""The remembered ``url_for`` gives exactly Flask's addresses, per council and blueprint."""

from __future__ import annotations

from flask import g
from flask import url_for as flask_url_for

from app.web import urls


def test_cached_addresses_equal_flasks(app):
    with app.test_request_context("/"):
        for endpoint, values in (("web.index", {}), ("auth.sign_in", {}), ("static", {"filename": "x.css"})):
            assert urls.url_for(endpoint, **values) == flask_url_for(endpoint, **values)
            assert urls.url_for(endpoint, **values) == flask_url_for(endpoint, **values)  # from the cache


def test_the_council_in_the_url_is_part_of_the_key(app):
    class Council:
        def __init__(self, slug):
            self.slug = slug

    addresses = []
    for slug in ("north", "south"):
        with app.test_request_context("/"):
            g.council = Council(slug)
            addresses.append(urls.url_for("council.voting.index"))
    assert addresses == ["/c/north/ballots/", "/c/south/ballots/"]


def test_unusual_calls_go_straight_to_flask(app):
    with app.test_request_context("/"):
        assert urls.url_for("web.index", _anchor="top") == "/#top"
        assert urls.url_for("web.index", _external=True).startswith("http")
    with app.app_context():  # no request: Flask's own rules (SERVER_NAME) apply
        app.config.setdefault("SERVER_NAME", "localhost")
        assert urls.url_for("web.index").endswith("/")

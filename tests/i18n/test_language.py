"""Interface language: English by default, Welsh when chosen or asked for, switchable without JavaScript."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES


@pytest.fixture
def csrf_token(client):
    """A real token, read from the switcher form in the footer, as a browser would send it."""

    def _token() -> str:
        page = client.get("/accessibility").get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    return _token


def _post(client, data, referrer="https://rochdale.test/accessibility"):
    # The switcher goes back to the Referer (which Flask-WTF also wants over HTTPS).
    return client.post("/language", data=data, headers={"Referer": referrer})


def _html_lang(body: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', body).group(1)


def test_english_by_default(client):
    page = client.get("/accessibility").get_data(as_text=True)
    assert _html_lang(page) == "en"
    assert "Accessibility statement" in page
    assert 'value="cy"' in page  # the switcher offers the other language


def test_the_browser_language_is_honoured(client):
    page = client.get("/accessibility", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert _html_lang(page) == "cy"
    assert "Datganiad hygyrchedd" in page


def test_choosing_welsh_sticks_for_the_session_and_returns_to_the_page(client, csrf_token):
    reply = _post(client, data={"language": "cy", "csrf_token": csrf_token()})
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith("/accessibility")
    page = client.get("/accessibility").get_data(as_text=True)
    assert _html_lang(page) == "cy"
    assert "Datganiad hygyrchedd" in page
    _post(client, data={"language": "en", "csrf_token": csrf_token()})
    assert _html_lang(client.get("/accessibility").get_data(as_text=True)) == "en"


def test_the_switcher_keeps_the_query_string(client, csrf_token):
    reply = _post(client, {"language": "cy", "csrf_token": csrf_token()}, "https://rochdale.test/c/x/ballots?page=2")
    assert reply.headers["Location"].endswith("/c/x/ballots?page=2")


def test_the_switcher_only_returns_to_this_site(client, csrf_token, app):
    # Flask-WTF refuses a foreign Referer over HTTPS; the check must hold on its own too.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    try:
        for referrer in ("https://evil.example/x", "javascript:alert(1)", ""):
            reply = _post(client, {"language": "cy", "csrf_token": csrf_token()}, referrer)
            assert reply.status_code == 303
            assert reply.headers["Location"] in ("/", "http://rochdale.test/", "https://rochdale.test/")
    finally:
        app.config["WTF_CSRF_SSL_STRICT"] = True


def test_an_unknown_language_is_a_clear_400(client, csrf_token):
    reply = _post(client, data={"language": "fr", "csrf_token": csrf_token()})
    assert reply.status_code == 400
    assert "Choose English or Cymraeg" in reply.get_data(as_text=True)


def test_every_catalogue_is_for_a_known_language_and_parses():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app" / "translations"
    found = {p.parent.parent.name for p in root.glob("*/LC_MESSAGES/messages.po")}
    assert found == set(LANGUAGES) - {"en"}
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        assert len(catalogue) > 0
        assert (po.with_suffix(".mo")).exists(), "run `make translations` (make install does)"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_translations_use_only_the_placeholders_of_their_message():
    """A Welsh sentence may drop a value (the form for one says "un") but never name one the code does not pass."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app" / "translations"
    wrong = []
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            known = {name for text in ids for name in PLACEHOLDER.findall(text)}
            if isinstance(message.id, tuple):
                known.add("num")  # ngettext always passes the count as num
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            for text in filter(None, strings):
                if set(PLACEHOLDER.findall(text)) - known:
                    wrong.append(f"{po.parent.parent.name}: {ids[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)

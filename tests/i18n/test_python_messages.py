"""Messages written in Python (form errors, flashed messages) follow the person's language.

The English wording is the source text, so an English request must read exactly
as before; a Welsh one gets the Welsh catalogue's translation.
"""

from __future__ import annotations

from tests.auth.conftest import post_form, sign_in

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def test_form_errors_are_in_welsh_for_a_welsh_browser(client):
    response = post_form(client, "/sign-in", {"email": "", "password": ""}, headers=WELSH)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#email">Rhowch eich cyfeiriad e-bost' in body
    assert 'href="#password">Rhowch eich cyfrinair' in body
    assert "Enter your email address" not in body


def test_form_errors_are_unchanged_in_english(client):
    response = post_form(client, "/sign-in", {"email": "", "password": ""}, headers=ENGLISH)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#email">Enter your email address' in body
    assert 'href="#password">Enter your password' in body
    assert "Rhowch" not in body


def _sign_out(client, create_user, headers):
    assert sign_in(client, create_user().email).status_code == 302
    response = post_form(client, "/sign-out", {}, headers=headers)
    assert response.status_code == 302
    return client.get(response.headers["Location"], headers=headers).get_data(as_text=True)


def test_a_flashed_message_is_in_welsh_for_a_welsh_browser(client, create_user):
    page = _sign_out(client, create_user, WELSH)
    assert "Rydych wedi allgofnodi." in page
    assert "You have signed out." not in page


def test_a_flashed_message_is_unchanged_in_english(client, create_user):
    page = _sign_out(client, create_user, ENGLISH)
    assert "You have signed out." in page
    assert "allgofnodi" not in page


def test_navigation_labels_follow_the_language(client):
    welsh = client.get("/accessibility", headers=WELSH).get_data(as_text=True)
    english = client.get("/accessibility", headers=ENGLISH).get_data(as_text=True)
    assert "Mewngofnodi" in welsh
    assert "Sign in" in english and "Mewngofnodi" not in english


def test_the_sign_in_prompt_follows_the_language_switch(client):
    """The message Flask-Login flashes is lazy, so it is read in the language chosen with the switch."""
    with client.session_transaction() as session:
        session["lang"] = "cy"
    response = client.get("/account")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mewngofnodwch i weld y dudalen hon." in page
    assert "Sign in to see this page." not in page

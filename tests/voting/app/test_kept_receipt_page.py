"""The receipt page, kept per process with placeholders (app/web/kept_pages.py), is exactly what rendering gives.

Votes are cast with kept pages on (template auto-reload off) and the answers
compared with pages rendered the usual way (auto-reload on): byte for byte,
once each page's own random values (receipt code, CSP nonce, CSRF token) are
set aside. Then what a kept page must never do: show one person's code, nonce
or token to another, outlive a change to what it shows, swallow a pending flash
message, or keep a page that reads the person.
"""

from __future__ import annotations

import re

import pytest
from flask import g
from itsdangerous import URLSafeTimedSerializer
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from app.extensions import db
from app.voting import receipts
from app.voting.models import BallotKind, BallotPaper
from app.web.kept_pages import render_kept
from tenants.context import council_context
from tenants.models import Council
from tests.fixtures.factories import new_person
from tests.fixtures.sessions import post

RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{19})<')
NONCE = re.compile(r'nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def kept_on(app, monkeypatch):
    """Kept pages on (they are off while templates reload, as in debug), starting empty."""
    monkeypatch.setattr(app.jinja_env, "auto_reload", False)
    for store in ("rochdale_kept_pages", "rochdale_layout_fragments", "rochdale_navigation"):
        app.extensions.pop(store, None)


@pytest.fixture
def voters(world, active_db, grant_role):
    from app.auth.models import Role

    people = [new_person(f"Kept voter {i}") for i in range(4)]
    for person in people:
        grant_role(person, world.council, Role.RESIDENT)
    active_db.session.commit()
    return people


def _raw_token(app, signed: str) -> str:
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(signed)


def _cast(world, ballot_id, client):
    response = post(client, f"{world.prefix}/ballots/{ballot_id}/vote", {"choice": ["a"], "confirm": "yes"})
    assert response.status_code == 200
    return response


def _parts(app, response) -> tuple[str, str, str, str]:
    """(code, nonce, the session's raw CSRF token, the page with those three set aside)."""
    page = response.get_data(as_text=True)
    code, nonce, token = RECEIPT.search(page).group(1), NONCE.search(page).group(1), TOKEN.search(page).group(1)
    shell = page.replace(code, "CODE").replace(nonce, "NONCE").replace(token, "TOKEN")
    return code, nonce, _raw_token(app, token), shell


def test_kept_receipts_equal_a_fresh_render_and_carry_each_voters_own_values(
    app, world, make_ballot, client_for, voters, kept_on, monkeypatch
):
    ballot = make_ballot(BallotKind.APPROVAL).id  # read now: the app's commits expire the row
    clients = [client_for(person) for person in voters]
    answers = [_cast(world, ballot, client) for client in clients[:3]]
    assert app.extensions["rochdale_kept_pages"], "the receipt was not kept"
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)  # nothing kept: rendered the usual way
    answers.append(_cast(world, ballot, clients[3]))

    parts = [_parts(app, answer) for answer in answers]
    assert len({shell for *_, shell in parts}) == 1  # kept and fresh pages are the same bytes
    for (_code, nonce, token, _), answer, client in zip(parts, answers, clients, strict=True):
        assert f"'nonce-{nonce}'" in answer.headers["Content-Security-Policy"]
        assert token == _raw_token(app, client.csrf_token)
        assert NONCE.findall(answer.get_data(as_text=True)) == [nonce] * 2  # both inline scripts
    codes = [code for code, *_ in parts]
    assert len(set(codes)) == 4 and len({nonce for _, nonce, *_ in parts}) == 4
    with council_context(world.council.id):
        stored = set(db.session.scalars(select(BallotPaper.receipt_hash)))
    assert stored == {receipts.receipt_hash(code) for code in codes}


def test_a_welsh_voter_gets_the_welsh_receipt(app, world, make_ballot, client_for, voters, kept_on):
    ballot = make_ballot(BallotKind.APPROVAL).id  # read now: the app's commits expire the row
    english, welsh = client_for(voters[0]), client_for(voters[1])
    with welsh.session_transaction() as session:
        session["lang"] = "cy"
    english_page = _cast(world, ballot, english).get_data(as_text=True)
    welsh_page = _cast(world, ballot, welsh).get_data(as_text=True)
    assert 'lang="en"' in english_page and "Your vote has been cast" in english_page
    assert 'lang="cy"' in welsh_page and "Your vote has been cast" not in welsh_page


def test_a_renamed_council_shows_at_once(app, world, make_ballot, client_for, voters, kept_on, active_db):
    ballot = make_ballot(BallotKind.APPROVAL).id  # read now: the app's commits expire the row
    assert "Voteham Borough Council" in _cast(world, ballot, client_for(voters[0])).get_data(as_text=True)
    active_db.session.get(Council, world.council.id).name = "Votetown & Co"
    active_db.session.commit()  # through the ORM, as the platform's form does (the council cache forgets it)
    page = _cast(world, ballot, client_for(voters[1])).get_data(as_text=True)
    assert "Votetown &amp; Co" in page and "Voteham Borough Council" not in page


def test_a_pending_flash_message_is_shown_not_kept_away(app, world, make_ballot, client_for, voters, kept_on):
    ballot = make_ballot(BallotKind.APPROVAL).id  # read now: the app's commits expire the row
    _cast(world, ballot, client_for(voters[0]))  # a kept shell exists
    client = client_for(voters[1])
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your details were saved")]
    page = _cast(world, ballot, client).get_data(as_text=True)
    assert "Your details were saved" in page
    with client.session_transaction() as session:
        assert "_flashes" not in session


PROBES = {
    "probe/person.html": "<p>{{ greeting }}, {{ current_user.name }}</p>",
    "probe/printed.html": "<p>{{ greeting }}, {{ current_user }}</p>",
    "probe/form.html": '<p>{{ greeting }}</p><input name="csrf_token" value="{{ form_token }}">',
    "probe/plain.html": '<p nonce="{{ csp_nonce() }}">{{ greeting }} {{ code }}</p>{{ csrf_token() }}',
}


@pytest.fixture
def probes(app, monkeypatch, kept_on):
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(PROBES), app.jinja_env.loader]))
    app.jinja_env.cache.clear()


def _in_request(app, world, person, render):
    from app.auth.sessions import start_session

    with app.test_request_context(f"{world.prefix}/"), council_context(world.council.id):
        # The test's app context outlives each request context: its ``g`` must not carry the last one's secrets.
        g.pop("csrf_token", None)
        g.pop("csp_nonce", None)
        start_session(person)
        return render()


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("probe/person.html", lambda person: person.name),
        ("probe/printed.html", lambda person: f"&lt;User id={person.id}&gt;"),
    ],
)
def test_a_page_that_reads_the_person_is_never_kept(app, world, voters, probes, template, shown):
    expected = [f"<p>Hello, {shown(person)}</p>" for person in voters[:2]]
    pages = [
        _in_request(app, world, person, lambda: render_kept(template, {}, greeting="Hello")) for person in voters[:2]
    ]
    assert pages == expected
    assert not app.extensions.get("rochdale_kept_pages")


def test_a_page_holding_its_own_token_is_never_kept(app, world, voters, probes):
    from flask_wtf.csrf import generate_csrf

    def render():
        return render_kept("probe/form.html", {}, greeting="Hi", form_token=generate_csrf())

    first, second = (_in_request(app, world, person, render) for person in voters[:2])
    assert first != second
    assert not app.extensions.get("rochdale_kept_pages")


def test_fills_are_escaped_and_each_request_gets_its_own_nonce_and_token(app, world, voters, probes):
    def render():
        page = render_kept("probe/plain.html", {"code": "<b>&"}, greeting="Hi")
        return page, g.csp_nonce, g.csrf_token

    (first, nonce1, token1), (second, nonce2, token2) = (_in_request(app, world, p, render) for p in voters[:2])
    assert len(app.extensions["rochdale_kept_pages"]) == 1
    assert first == f'<p nonce="{nonce1}">Hi &lt;b&gt;&amp;</p>{token1}'
    assert second == f'<p nonce="{nonce2}">Hi &lt;b&gt;&amp;</p>{token2}'
    assert nonce1 != nonce2 and token1 != token2


def test_a_value_that_cannot_be_keyed_renders_the_usual_way(app, world, voters, probes):
    class Opaque:
        def __str__(self) -> str:
            return "opaque"

    page = _in_request(app, world, voters[0], lambda: render_kept("probe/plain.html", {"code": "1"}, greeting=Opaque()))
    assert ">opaque 1</p>" in page
    assert not app.extensions.get("rochdale_kept_pages")

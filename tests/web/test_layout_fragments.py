"""The layout's header and footer, kept per process (app/web/fragments.py), are exactly what rendering gives.

Each page is requested twice (the second answer is built from the kept
fragments) and once more with template auto-reload on (nothing kept): the three
must be the same bytes apart from the per-request CSP nonce. And what is kept
must never carry one person's data to another: the CSRF token, the links of a
role and the language are each checked across people.
"""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.auth.models import Role
from tests.fixtures.sessions import session_client

NONCE = re.compile(r'nonce="[^"]+"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _session_token(app, signed: str) -> str:
    """The session's raw CSRF token inside a signed one (the signature carries the second it was made)."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(signed)


@pytest.fixture
def people(create_council, create_user, grant_role):
    council = create_council(slug="fragments", name="Fragment & Sons Borough")
    admin, resident = create_user(), create_user()
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    grant_role(resident, council, Role.RESIDENT)
    return {"admin": admin.id, "resident": resident.id}


@pytest.fixture
def no_reload(app, monkeypatch):
    monkeypatch.setattr(app.jinja_env, "auto_reload", False)
    app.extensions.pop("rochdale_layout_fragments", None)
    app.extensions.pop("rochdale_navigation", None)


def _page(client, path="/c/fragments/"):
    response = client.get(path)
    assert response.status_code == 200
    return NONCE.sub('nonce=""', response.get_data(as_text=True))


def _same_second(app, page: str) -> str:
    """``page`` with its signed CSRF token replaced by the session's raw token (signatures differ by the second)."""
    return TOKEN.sub(lambda m: f'name="csrf_token" value="{_session_token(app, m.group(1))}"', page)


@pytest.mark.parametrize("who", ["admin", "resident", None])
def test_kept_fragments_equal_a_fresh_render(app, people, no_reload, monkeypatch, who):
    client = session_client(app, people[who] if who else None)
    first, second = _same_second(app, _page(client)), _same_second(app, _page(client))
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)  # nothing kept: rendered as before
    fresh = _same_second(app, _page(client))
    assert first == second == fresh
    assert "Fragment &amp; Sons Borough" in first  # the council's name escaped once, not twice


def test_each_session_gets_its_own_csrf_token(app, people, no_reload):
    admin, resident = session_client(app, people["admin"]), session_client(app, people["resident"])
    tokens = [_session_token(app, TOKEN.search(_page(c)).group(1)) for c in (admin, resident, admin)]
    assert tokens == [_session_token(app, c.csrf_token) for c in (admin, resident, admin)]
    assert tokens[0] != tokens[1]


def test_links_follow_the_role_not_the_last_page_rendered(app, people, no_reload):
    admin_page = _page(session_client(app, people["admin"]))
    resident_page = _page(session_client(app, people["resident"]))
    anonymous_page = _page(app.test_client())
    assert "/c/fragments/admin/" in admin_page
    assert "/c/fragments/admin/" not in resident_page
    assert "Sign out" in resident_page and "Sign out" not in anonymous_page


def test_the_language_is_part_of_the_key(app, people, no_reload):
    client = session_client(app, people["resident"])
    english = _page(client)
    with client.session_transaction() as session:
        session["lang"] = "cy"
    welsh = _page(client)
    assert 'lang="cy"' in welsh and 'lang="en"' in english
    assert "Accessibility statement" in english and "Accessibility statement" not in welsh

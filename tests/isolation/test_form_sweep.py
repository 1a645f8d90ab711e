"""T-1.1, form fields: council B's ids in the fields of council A's own forms.

The URL sweep proves a view refuses B's object named in its path. Here the
path names A's own objects (so the view gets past loading them) and the
*form* carries B's ids: every select, radio, checkbox, hidden number and any
field named like an id is set to B's id. Whatever the form does with them, the
answer must not be a 500, must not show B's data, and B's rows must not change.
A's own rows may change (these are real submissions as A's administrator), so
this module seeds its own councils.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from tests.fixtures.routes import UNSAFE_METHODS, route_cases
from tests.fixtures.sessions import send
from tests.isolation.test_route_sweep import Sweep, report

ID_NAME = re.compile(r"(^|_)ids?$|_id(s)?(-\d+)?$")


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields (name, kind, value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._form["fields"].append((a["name"], a.get("type", "text").lower(), a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._form["fields"].append((a["name"], "textarea", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].append((a["name"], "select", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _form_data(fields: list[tuple[str, str, str]], victim_id: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, kind, value in fields:
        if name == "csrf_token" or kind in ("submit", "button", "file"):
            continue
        id_like = (
            kind in ("select", "radio", "checkbox")
            or ID_NAME.search(name) is not None
            or (kind == "hidden" and value.isdigit())
        )
        data.setdefault(name, []).append(victim_id if id_like else (value or "1"))
    return data


def _own_value(case, council):
    if len(case.int_args) < len(case.id_args):
        return council.tokens[0] if council.tokens else str(council.row_id)
    return council.row_id


def test_council_b_ids_in_council_a_forms(sessions, tenancy_world, snapshot):
    a, b = tenancy_world["A"], tenancy_world["B"]
    sweep = Sweep(sessions, a.users["admin"], "admin", b, snapshot)
    posted = 0
    for case in route_cases(sessions.app, UNSAFE_METHODS):
        if not case.is_council or "GET" not in (case.rule.methods or ()):
            continue
        url = case.url(a.slug, _own_value(case, a) if case.id_args else None)
        page = send(sessions.client(a.users["admin"]), "GET", url)
        if page.status_code != 200 or "text/html" not in page.content_type:
            continue
        parser = _Forms()
        parser.feed(page.get_data(as_text=True))
        for form in parser.forms:
            action = form["action"] or url
            if action.split("?")[0] != url:
                continue  # another route's form (e.g. sign out); swept under its own route
            data = _form_data(form["fields"], str(b.row_id))
            sweep.request(case, url, data=data)
            posted += 1
    assert posted >= 5, f"only {posted} forms found to post"
    assert not sweep.failures, report(sweep.failures)
    copies = snapshot.copies_of(b)
    assert not copies, "council B's data was copied out of B:\n" + "\n".join(copies)

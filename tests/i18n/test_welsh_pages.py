"""Every page the demo people can reach renders in Welsh.

A translation can break a page in ways the catalogue checks do not see: a
value the template passes under another name, markup that no longer nests, a
``%`` that formatting chokes on. With the demo data loaded (what ``make run``
shows), the test client signs in as each kind of demo person with a Welsh
browser and follows every same-site link breadth-first, one page of each kind
(endpoint) per person. Every page must answer without a server error, say it
is in Welsh, and show no unformatted ``%(value)s``. The crawl is bounded in
pages and time and fails if it stops at its caps rather than running out of links.
"""

from __future__ import annotations

import re
import time
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.seed.data import DEMO_PASSWORD, demo_logins
from tests.auth.conftest import post_form

pytestmark = pytest.mark.xdist_group("welsh-crawl")

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9"}
MAX_FETCHES_PER_PERSON = 400
MAX_SECONDS_PER_PERSON = 120
SKIP = re.compile(r"^/(?:sign-out|language)|^/static/")
_HREFS = re.compile(r"""<a\b[^>]*\bhref="([^"#][^"]*)""", re.IGNORECASE)
UNFORMATTED = re.compile(r"%\(\w+\)[sd]")


def _people() -> list[tuple[str | None, str]]:
    """(email, kind) of every demo login (officers differ in the modules they run), anonymous first."""
    return [(None, "Anonymous"), *((login.email, login.who.split(" (")[0]) for login in demo_logins())]


class WelshCrawl:
    """One person's breadth-first walk over the site, each page asked for in Welsh."""

    def __init__(self, client, kind: str) -> None:
        self.client = client
        self.kind = kind
        self.adapter = client.application.url_map.bind(client.application.config["SERVER_NAME"])
        self.fetched = 0
        self.kinds_seen: set[str] = set()
        self.problems: list[str] = []

    def run(self, start: str) -> None:
        queue, seen = deque([start]), {start}
        deadline = time.monotonic() + MAX_SECONDS_PER_PERSON
        while queue:
            assert self.fetched < MAX_FETCHES_PER_PERSON, f"Welsh crawl as {self.kind} hit its page cap; raise it"
            assert time.monotonic() < deadline, f"Welsh crawl as {self.kind} hit its time cap; raise it"
            path = queue.popleft()
            kind = self._endpoint(path) or path
            if kind in self.kinds_seen:
                continue
            self.kinds_seen.add(kind)
            for link in self._visit(path):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def _endpoint(self, path: str) -> str | None:
        try:
            endpoint, _ = self.adapter.match(urlsplit(path).path, method="GET")
        except (RequestRedirect, HTTPException):
            return None
        return endpoint

    def _visit(self, path: str) -> list[str]:
        self.fetched += 1
        response = self.client.get(path, headers=WELSH)
        if response.status_code >= 500:
            self.problems.append(f"{path}: {response.status_code} (as {self.kind})")
            return []
        if response.status_code in (301, 302, 303, 307, 308):
            target = self._local(path, response.headers.get("Location", ""))
            return [target] if target else []
        if response.status_code != 200 or response.mimetype != "text/html":
            return []
        html = response.get_data(as_text=True)
        if '<html lang="cy"' not in html:
            self.problems.append(f"{path}: not in Welsh (as {self.kind})")
        for leftover in sorted(set(UNFORMATTED.findall(html))):
            self.problems.append(f"{path}: unformatted {leftover} (as {self.kind})")
        return [link for href in _HREFS.findall(html) if (link := self._local(path, href))]

    def _local(self, base: str, href: str) -> str | None:
        """The same-site path ``href`` points at from ``base``, or ``None``."""
        origin = f"https://{self.client.application.config['SERVER_NAME']}"
        absolute, _ = urldefrag(urljoin(origin + base, href.replace("&amp;", "&")))
        parts = urlsplit(absolute)
        if parts.netloc not in ("", self.client.application.config["SERVER_NAME"]) or SKIP.search(parts.path):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_page_the_demo_people_reach_renders_in_welsh(app, db):
    from app.seed.demo import DemoSeeder

    DemoSeeder().run()
    problems: list[str] = []
    reached: dict[str, int] = {}  # page kinds reached, by kind of person
    for email, kind in _people():
        client = app.test_client()
        start = "/"
        if email is not None:
            response = post_form(client, "/sign-in", {"email": email, "password": DEMO_PASSWORD}, headers=WELSH)
            assert response.status_code == 302, f"{email} could not sign in"
            start = urlsplit(response.headers["Location"]).path or "/"
        crawl = WelshCrawl(client, kind)
        crawl.run(start)
        problems.extend(crawl.problems)
        reached[kind] = reached.get(kind, 0) + len(crawl.kinds_seen)
    assert not problems, "\n".join(problems)
    # The crawl really went somewhere, for every kind of person.
    assert set(reached) >= {"Anonymous", "Platform administrator", "Council administrator", "Officer", "Resident"}
    assert all(count > 3 for count in reached.values()), reached
    assert sum(reached.values()) > 60, reached

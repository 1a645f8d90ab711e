"""Issue 9: a crawler signs in as each kind of person in the demo data, follows every link, and runs axe-core.

The demo data (``rochdale seed demo``, what ``make run`` shows) is loaded for
real. For anonymous visitors and then each demo login, the crawler starts at
the pages the person lands on and follows every same-site link breadth-first.
Each page kind (its endpoint, for that kind of person) is loaded in the
browser and checked by axe-core once; other pages of the same kind are still
fetched for their links, so a page reachable only from, say, the second
ballot is found too (up to ``SAME_KIND_PAGES`` of each kind per person).
Downloads and JSON are fetched but not checked by axe.
Every wait is bounded, and so is the crawl: it fails if it stops at its caps
rather than because it ran out of links.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.seed.data import DEMO_PASSWORD, demo_logins
from tests.fixtures.browser import DEFAULT_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MAX_FETCHES_PER_PERSON = 600
MAX_SECONDS_PER_PERSON = 300
# Pages of one kind (endpoint) fetched for their links, per person: the fourth ballot's page links
# to the same kinds of page as the first three.
SAME_KIND_PAGES = 3
# Links the crawler must not follow: they end the session or only switch the language back and forth.
SKIP = re.compile(r"/sign-out|/language")
_HREFS = re.compile(r"""<a\b[^>]*\bhref="([^"#][^"]*)""", re.IGNORECASE)


def _kind(login_who: str) -> str:
    """What kind of person a demo login is (pages are checked once per kind)."""
    for kind in ("Platform administrator", "Council administrator", "Officer", "Resident"):
        if login_who.startswith(kind):
            return kind
    return login_who


def _people() -> list[tuple[str, str]]:
    """(email, kind) of every demo login, platform administrator first."""
    return [(login.email, _kind(login.who)) for login in demo_logins()]


@pytest.fixture
def demo_site(committed_db):
    """The demo data, committed, for the live server."""
    from app.seed.demo import DemoSeeder

    DemoSeeder().run()
    committed_db.session.commit()
    committed_db.session.remove()


def _endpoint(adapter: Any, path: str) -> str | None:
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    return endpoint


class Crawl:
    """One person's breadth-first walk; ``checked`` (endpoint, kind) pairs are shared between people."""

    def __init__(self, page: Any, live_app: Any, origin: str, kind: str, checked: set[tuple[str, str]]) -> None:
        self.page = page
        self.adapter = live_app.url_map.bind("localhost")
        self.origin = origin
        self.kind = kind
        self.checked = checked
        self.fetched = 0
        self.axe_runs = 0

    def run(self, starts: list[str]) -> None:
        queue: deque[str] = deque(starts)
        seen = set(starts)
        per_kind: Counter[str] = Counter()
        deadline = time.monotonic() + MAX_SECONDS_PER_PERSON
        while queue:
            assert self.fetched < MAX_FETCHES_PER_PERSON, f"crawl as {self.kind} hit its page cap; raise it"
            assert time.monotonic() < deadline, f"crawl as {self.kind} hit its time cap; raise it"
            path = queue.popleft()
            kind = _endpoint(self.adapter, urlsplit(path).path) or path
            per_kind[kind] += 1
            if per_kind[kind] > SAME_KIND_PAGES:
                continue
            for link in self._visit(path):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def _visit(self, path: str) -> list[str]:
        self.fetched += 1
        response = self.page.request.get(path, max_redirects=0, timeout=DEFAULT_TIMEOUT_MS)
        assert response.status < 500, f"{path} answered {response.status} to {self.kind}"
        if response.status in (301, 302, 303, 307, 308):
            target = self._local(path, response.headers.get("location", ""))
            return [target] if target else []
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            return []
        html = response.text()
        endpoint = _endpoint(self.adapter, urlsplit(path).path)
        key = (endpoint or path, self.kind)
        if key not in self.checked:
            self.checked.add(key)
            self.page.goto(path)
            assert_accessible(self.page, f"{path} (as {self.kind})")
            self.axe_runs += 1
        return [link for href in _HREFS.findall(html) if (link := self._local(path, href))]

    def _local(self, base: str, href: str) -> str | None:
        """The same-site path ``href`` points at from ``base``, or ``None``."""
        href = href.replace("&amp;", "&")
        absolute, _ = urldefrag(urljoin(self.origin + base, href))
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or SKIP.search(parts.path):
            return None
        if parts.path.startswith("/static/"):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_reachable_page_of_the_demo_passes_axe_for_every_kind_of_person(
    browser, live_server, live_app, demo_site
):
    checked: set[tuple[str, str]] = set()
    totals: list[str] = []
    people: list[tuple[str | None, str]] = [(None, "Anonymous"), *_people()]
    for email, kind in people:
        context = browser.new_context(base_url=live_server)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        try:
            if email is not None:
                sign_in(page, email, DEMO_PASSWORD)
            crawl = Crawl(page, live_app, live_server.rstrip("/"), kind, checked)
            start = urlsplit(page.url).path if email is not None else "/"
            crawl.run([start, "/"] if start != "/" else ["/"])
        finally:
            context.close()
        totals.append(f"{email or 'anonymous'}: {crawl.fetched} fetched, {crawl.axe_runs} checked")
    # The crawl really went somewhere: every kind of person reached pages of their own.
    kinds = {kind for _, kind in checked}
    assert kinds >= {"Anonymous", "Platform administrator", "Council administrator", "Officer", "Resident"}, totals
    assert len(checked) > 60, totals

"""Active councils by slug, remembered briefly in each process.

Every council page starts by finding its council from the ``/c/<slug>`` prefix;
it was the most-run query in the app, on every request of every resident.
Councils change rarely (the platform team creates them; a rename or a
deactivation happens perhaps once a year), so each app, in each process, keeps
the councils it has read for ``COUNCIL_CACHE_SECONDS`` and forgets all of them
as soon as its own session flushes a change to any council. Another process
sees a change within ``COUNCIL_CACHE_SECONDS`` (the same trade Django's sites
framework makes, with an expiry added).

Only hits are kept: an unknown or inactive slug is looked up every time, so a
new council is reachable at once. What is kept is a row's column values, never
a live ORM object; each request gets its own instance in its own session
(``app.db.as_loaded``, no SQL).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.db import as_loaded
from tenants.models import Council

COUNCIL_CACHE_SECONDS = 30.0
_EXTENSION_KEY = "rochdale_council_cache"
_COLUMNS = tuple(attr.key for attr in inspect(Council).column_attrs)


class CouncilCache:
    """Column values of active councils by slug, each for ``ttl`` seconds."""

    def __init__(self, ttl: float = COUNCIL_CACHE_SECONDS) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, session: Session, slug: str) -> Council | None:
        """The cached council with ``slug``, attached to ``session``; ``None`` if unknown or expired."""
        entry = self._entries.get(slug)
        if entry is None:
            return None
        expires, values = entry
        if time.monotonic() >= expires:
            self._entries.pop(slug, None)
            return None
        return as_loaded(session, Council, values)

    def put(self, council: Council) -> None:
        """Remember ``council`` (an active council just read from the database)."""
        values = {key: getattr(council, key) for key in _COLUMNS}
        self._entries[council.slug] = (time.monotonic() + self.ttl, values)

    def clear(self) -> None:
        self._entries.clear()


def council_cache(app: Flask) -> CouncilCache:
    """This app's cache (one per app, so tests with different databases never share one)."""
    cache = app.extensions.get(_EXTENSION_KEY)
    if cache is None:
        cache = app.extensions[_EXTENSION_KEY] = CouncilCache(
            app.config.get("COUNCIL_CACHE_SECONDS", COUNCIL_CACHE_SECONDS)
        )
    return cache


@event.listens_for(Session, "after_flush")
def _forget_changed_councils(session: Session, flush_context: Any) -> None:
    """A council written through this process's ORM: forget every cached council at once."""
    if not has_app_context():
        return
    if any(isinstance(obj, Council) for obj in (*session.dirty, *session.deleted)):
        council_cache(current_app._get_current_object()).clear()

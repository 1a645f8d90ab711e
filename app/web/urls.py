"""``url_for``, remembered: every page builds the same few dozen addresses, and building one is costly.

Werkzeug builds an address by matching the endpoint's rule against the
values, which costs tens of microseconds each; a page's layout alone asks for
about ten. The address depends only on the endpoint, its values, the council
in the URL (filled in by ``tenants.resolution``), the blueprint (for
``.relative`` endpoints) and the mount point, so it is kept per process under
exactly that key. Outside a request (emails from jobs), and for anything
unusual (``_external``, ``_anchor``, ``_scheme``, ``_method``, unhashable
values), it goes straight to Flask.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from flask import url_for as flask_url_for

MAX_ENTRIES = 8192
_BUILT: dict[tuple[Any, ...], str] = {}


def url_for(endpoint: str, **values: Any) -> str:
    """The same address as :func:`flask.url_for`, built once per process for each distinct key."""
    if not has_request_context() or any(name.startswith("_") for name in values):
        return flask_url_for(endpoint, **values)
    council = getattr(g, "council", None)
    try:
        key = (
            request.script_root,
            endpoint,
            request.blueprint if endpoint.startswith(".") else None,
            council.slug if council is not None else None,
            frozenset(values.items()),
        )
        url = _BUILT.get(key)
    except TypeError:  # an unhashable value (a list of query values)
        return flask_url_for(endpoint, **values)
    if url is None:
        url = flask_url_for(endpoint, **values)
        if len(_BUILT) >= MAX_ENTRIES:
            _BUILT.clear()  # a crude bound: ids in URLs make the key space open-ended
        _BUILT[key] = url
    return url

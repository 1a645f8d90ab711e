"""Read-only snapshots of open ballots, so casting a vote need not read the ballot row first.

Casting is the busiest request in the app, and the ballot it casts into barely
changes while it is open (its rules are frozen; only closing it, or an
officer moving its dates, changes the row). A vote therefore works from a
snapshot of the row kept per app and process (:func:`cached`) and proves the
snapshot current *in the same statement that stores the vote*: the insert
share-locks the ballot row and stores nothing unless the row is still open
with the snapshot's ``rules_version`` (which covers the options, rules and
electorate) and voting window
(:func:`app.voting.operations.store_vote`). When it does not, the caller drops
the snapshot, reads the row afresh under lock and casts again, so a stale
snapshot can cost a retry but never a wrong vote.

Only open ballots are kept, for at most :data:`TTL_SECONDS` (titles shown on
the receipt page stay that fresh), in a small LRU. The snapshot copies the
row's columns into a frozen object: nothing cached is an ORM instance, so
nothing cached can be flushed, expired or shared between sessions.
"""

from __future__ import annotations

import copy
import time
from collections import OrderedDict
from typing import Any

from flask import current_app

from app.voting.models import Ballot, BallotStatus
from app.web.kept import FrozenKey

MAX_BALLOTS = 512
TTL_SECONDS = 10.0
_EXTENSION_KEY = "rochdale_open_ballots"
_COLUMNS = tuple(column.key for column in Ballot.__table__.columns)


class BallotSnapshot:
    """The columns of one ballot row, read-only, with the same attribute names as :class:`Ballot`."""

    __slots__ = (*_COLUMNS, "_kept_key")

    def __init__(self, ballot: Ballot) -> None:
        for name in _COLUMNS:
            # Its own copy of what the row holds (parameters, electorate): nothing can change a snapshot's values.
            object.__setattr__(self, name, copy.deepcopy(getattr(ballot, name)))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a ballot snapshot is read-only (tried to set {name})")

    def kept_key(self) -> FrozenKey:
        """Every column's value, frozen once (the snapshot never changes): what a kept page is keyed by.

        Raises ``TypeError`` (the page is then rendered the usual way) for a value that can't be frozen.
        """
        try:
            return self._kept_key
        except AttributeError:
            object.__setattr__(self, "_kept_key", FrozenKey(tuple(getattr(self, name) for name in _COLUMNS)))
            return self._kept_key

    def __repr__(self) -> str:
        return f"<BallotSnapshot council_id={self.council_id} id={self.id} status={self.status}>"


def _cache() -> OrderedDict[tuple[int, int], tuple[float, BallotSnapshot]]:
    return current_app.extensions.setdefault(_EXTENSION_KEY, OrderedDict())


def cached(council_id: int, ballot_id: int) -> BallotSnapshot | None:
    """The snapshot of this open ballot taken in the last :data:`TTL_SECONDS`, else ``None``."""
    cache = _cache()
    key = (council_id, ballot_id)
    entry = cache.get(key)
    if entry is None:
        return None
    taken_at, snapshot = entry
    if time.monotonic() - taken_at > TTL_SECONDS:
        del cache[key]
        return None
    cache.move_to_end(key)
    return snapshot


def remember(ballot: Ballot) -> None:
    """Keep a snapshot of ``ballot`` (freshly read) if it is open; forget any older one otherwise."""
    cache = _cache()
    key = (ballot.council_id, ballot.id)
    if ballot.status is not BallotStatus.OPEN or not ballot.rules_version:
        cache.pop(key, None)
        return
    cache[key] = (time.monotonic(), BallotSnapshot(ballot))
    cache.move_to_end(key)
    while len(cache) > MAX_BALLOTS:
        cache.popitem(last=False)


def forget(council_id: int, ballot_id: int) -> None:
    """Drop the snapshot of a ballot (it proved stale)."""
    _cache().pop((council_id, ballot_id), None)

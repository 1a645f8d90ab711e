"""A ballot's options, read once per process while the ballot is frozen.

Once a ballot opens its options can no longer change (``operations.EDITABLE``)
and its ``rules_version`` hashes them, so every vote in it would read the same
rows again. :func:`frozen_options` keeps a plain copy per app and process,
keyed by council, ballot, creation time and rules version (ids alone can
come round again after a restore), in a small LRU; a draft or
scheduled ballot is always read fresh. The copies are frozen dataclasses, not
ORM objects, so nothing cached can be flushed by accident.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.voting.models import Ballot, BallotOption
from app.voting.operations import EDITABLE, ballot_options

MAX_BALLOTS = 512
_EXTENSION_KEY = "rochdale_frozen_options"


@dataclass(frozen=True, slots=True)
class FrozenOption:
    """What a ballot paper needs of an option: the same names as :class:`BallotOption`'s columns."""

    id: int
    ballot_id: int
    key: str
    title: str
    description: str
    cost_pence: int | None
    position: int


def frozen_options(ballot: Ballot) -> list[BallotOption] | list[FrozenOption]:
    """``ballot``'s options in ballot-paper order (cached copies once it is frozen)."""
    if ballot.status in EDITABLE or not ballot.rules_version:
        return ballot_options(ballot)
    cache: OrderedDict[tuple[Any, ...], list[FrozenOption]] = current_app.extensions.setdefault(
        _EXTENSION_KEY, OrderedDict()
    )
    key = (ballot.council_id, ballot.id, ballot.created_at, ballot.rules_version)
    options = cache.get(key)
    if options is not None:
        cache.move_to_end(key)
        return options
    options = [
        FrozenOption(o.id, o.ballot_id, o.key, o.title, o.description, o.cost_pence, o.position)
        for o in ballot_options(ballot)
    ]
    cache[key] = options
    while len(cache) > MAX_BALLOTS:
        cache.popitem(last=False)
    return options

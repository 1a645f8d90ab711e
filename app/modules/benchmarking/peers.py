"""Peer groups: councils like this one by type, region or population band, or its own chosen group. Pure."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from app.i18n import lazy_gettext as _l

# Upper bounds of the population bands (the last band is open-ended).
BANDS = (100_000, 250_000, 500_000)


class PeerKind(enum.StrEnum):
    TYPE = "type"
    REGION = "region"
    POPULATION = "population"
    CUSTOM = "custom"


PEER_KIND_NAMES = {
    PeerKind.TYPE: _l("Councils of the same type"),
    PeerKind.REGION: _l("Councils in the same region"),
    PeerKind.POPULATION: _l("Councils of a similar size"),
    PeerKind.CUSTOM: _l("Our own peer group"),
}


def band(population: int) -> int:
    """The index of the population band ``population`` falls in."""
    return sum(1 for bound in BANDS if population >= bound)


def peer_ids(kind: PeerKind, council, councils: Iterable, custom: Iterable[int] = ()) -> set[int]:
    """The ids of ``council``'s peers among ``councils`` (``council`` itself included)."""
    if kind is PeerKind.CUSTOM:
        return set(custom) | {council.id}
    if kind is PeerKind.TYPE:
        return {c.id for c in councils if c.council_type == council.council_type}
    if kind is PeerKind.REGION:
        return {c.id for c in councils if c.region == council.region}
    return {c.id for c in councils if band(c.population) == band(council.population)}

"""Peer groups: councils like this one by type, region or population band, or its own chosen group. Pure."""

from __future__ import annotations

import enum

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


def band_bounds(population: int) -> tuple[int, int | None]:
    """The population band ``population`` falls in: [low, high), high None for the last band."""
    low = 0
    for bound in BANDS:
        if population < bound:
            return low, bound
        low = bound
    return low, None

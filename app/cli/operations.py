"""Writes the CLI needs that no other package provides yet (flush, never commit)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from tenants.models import Council, CouncilType, Region
from tenants.resolution import SLUG_PATTERN


class CouncilInputError(ValueError):
    """A council could not be created from the values given; nothing was written."""


def create_council(*, slug: str, name: str, council_type: CouncilType, region: Region, population: int) -> Council:
    """Create a council (the tenant) and flush it.

    Checks the slug format and uniqueness and the population first, so bad
    input raises ``CouncilInputError`` with a clear message instead of a
    database error.
    """
    slug = slug.strip().lower()
    name = " ".join(name.split())
    if not SLUG_PATTERN.match(slug) or len(slug) > 63:
        raise CouncilInputError(
            f"{slug!r} is not a valid slug: use lower-case letters, digits and single hyphens (at most 63 characters)"
        )
    if not name or len(name) > 200:
        raise CouncilInputError("the name must be between 1 and 200 characters")
    if population < 0:
        raise CouncilInputError("the population cannot be negative")
    if db.session.scalar(select(Council.id).where(Council.slug == slug)) is not None:
        raise CouncilInputError(f"a council with the slug {slug!r} already exists")
    council = Council(slug=slug, name=name, council_type=council_type, region=region, population=population)
    db.session.add(council)
    db.session.flush()
    return council

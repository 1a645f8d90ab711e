"""Writes of the platform operator: creating councils (the tenants). Flush, never commit.

Independent of Flask requests, so ``rochdale councils create`` uses the same
code and gets the same checks and messages as the web page.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Invitation, Role, User
from app.extensions import db
from app.i18n import _l
from tenants.context import council_context
from tenants.models import Council, CouncilType, Region
from tenants.resolution import SLUG_PATTERN

logger = logging.getLogger(__name__)

MAX_SLUG_LENGTH = 63
MAX_NAME_LENGTH = 200
# Far above any UK council (the largest has about 1.2 million people), far below the column's limit.
MAX_POPULATION = 100_000_000


class CouncilInputError(ValueError):
    """A council cannot be created from these values; nothing was written. ``field`` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def clean_slug(raw: str | None) -> str:
    """A slug as typed, trimmed and lower-cased."""
    return (raw or "").strip().lower()


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` (already cleaned) cannot be a council's slug, or ``None``."""
    if not slug:
        return _l("Enter a short name for web addresses")
    if len(slug) > MAX_SLUG_LENGTH:
        return _l("Short name must be %(num)s characters or fewer", num=MAX_SLUG_LENGTH)
    if not SLUG_PATTERN.match(slug):
        return _l("Short name must only use lower-case letters, digits and single hyphens, like kingsmere or west-vale")
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` (already trimmed) cannot be a council's name, or ``None``."""
    if not name:
        return _l("Enter the council's name")
    if len(name) > MAX_NAME_LENGTH:
        return _l("Name must be %(num)s characters or fewer", num=MAX_NAME_LENGTH)
    return None


def population_problem(population: int) -> str | None:
    """Why ``population`` is not a believable council population, or ``None``."""
    if population < 0:
        return _l("Population must be 0 or more")
    if population > MAX_POPULATION:
        return _l("Population must be %(num)s or fewer", num=f"{MAX_POPULATION:,}")
    return None


def _enum_value(enum_class, value, field: str, what: str):
    try:
        return enum_class(value)
    except ValueError as exc:
        raise CouncilInputError(_CHOOSE[what], field=field) from exc


_CHOOSE = {"type of council": _l("Choose the type of council"), "region or nation": _l("Choose the region or nation")}


def create_council(
    *,
    slug: str,
    name: str,
    council_type: CouncilType | str,
    region: Region | str,
    population: int,
) -> Council:
    """Create a council (a tenant) and flush it; raises ``CouncilInputError`` on bad input.

    The slug is the council's part of every web address (``/c/<slug>/``):
    lower-case letters, digits and single hyphens, unique. Checks come first so
    a mistake gets a clear message; a slug taken by a concurrent creation is
    caught from the unique constraint (inside a savepoint) with the same message.
    """
    slug = clean_slug(slug)
    name = " ".join((name or "").split())
    for field, problem in (
        ("slug", slug_problem(slug)),
        ("name", name_problem(name)),
        ("population", population_problem(population)),
    ):
        if problem:
            raise CouncilInputError(problem, field=field)
    council_type = _enum_value(CouncilType, council_type, "council_type", "type of council")
    region = _enum_value(Region, region, "region", "region or nation")
    taken = _l("A council with the short name %(slug)s already exists", slug=slug)
    if db.session.scalar(select(Council.id).where(Council.slug == slug)) is not None:
        raise CouncilInputError(taken, field="slug")
    council = Council(slug=slug, name=name, council_type=council_type, region=region, population=population)
    try:
        with db.session.begin_nested():
            db.session.add(council)
            db.session.flush()
    except IntegrityError as exc:
        raise CouncilInputError(taken, field="slug") from exc
    logger.info("Council %s created with slug %s", council.id, council.slug)
    return council


def invite_first_administrator(council: Council, email: str, invited_by: User | None = None) -> Invitation:
    """Invite ``email`` to be ``council``'s administrator, acting inside that council.

    The invitation is a council-owned row, so it is written in the council's
    own context (the ORM stamp and row-level security both need it). Raises
    ``app.admin.operations.InvitationError`` if the address cannot be invited.
    """
    from app.admin.operations import invite

    with council_context(council.id):
        return invite(council, email, Role.COUNCIL_ADMIN, invited_by=invited_by)


def create_council_and_invite(
    *,
    slug: str,
    name: str,
    council_type: CouncilType | str,
    region: Region | str,
    population: int,
    first_admin_email: str | None = None,
    invited_by: User | None = None,
) -> tuple[Council, Invitation | None]:
    """``create_council``, then ``invite_first_administrator`` if an email is given: both or neither.

    Raises ``CouncilInputError`` or ``InvitationError``; either way the
    savepoint is undone, so no council is left behind without its invitation.
    """
    with db.session.begin_nested():
        council = create_council(slug=slug, name=name, council_type=council_type, region=region, population=population)
        invitation = None
        if first_admin_email:
            invitation = invite_first_administrator(council, first_admin_email, invited_by=invited_by)
    return council, invitation

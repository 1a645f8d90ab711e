"""Who may see and run a society's business, for every governance page (registers, meetings, elections).

A society's pages live in the council module for its kind (housing, schools,
care): when the council has switched that module off, the society answers 404
as if it did not exist. Running the society's business (the registers,
meetings, elections) is for council officers who manage that module (and
council admins), and for the people the society has given a role: its
secretary and committee; a scrutineer may enter and sign off counts.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user

from app.auth.roles import current_council_role
from app.extensions import login_manager
from app.governance import queries
from app.governance.models import MODULE_FOR_KIND, Society, SocietyKind, SocietyRole
from tenants.features import is_module_enabled


def module_for(society: Society) -> str:
    """The council module a society's pages belong to."""
    return MODULE_FOR_KIND[society.kind]


def is_council_manager(society: Society) -> bool:
    """A platform admin, a council admin, or an officer who manages the society's module."""
    if not current_user.is_authenticated:
        return False
    if current_user.is_platform_admin:
        return True
    role = current_council_role()
    return role is not None and role.can_manage(module_for(society))


def held_roles(society: Society) -> set[SocietyRole]:
    """The roles the signed-in person holds for the society."""
    if not current_user.is_authenticated:
        return set()
    # Pages ask both can_manage and can_scrutinise (and templates ask again): read the roles once per request.
    cache = g.setdefault("_society_roles", {})
    key = (society.id, current_user.id)
    if key not in cache:
        cache[key] = queries.society_roles(society.id, current_user.id)
    return cache[key]


def can_manage(society: Society) -> bool:
    """May run the registers, meetings and elections: council managers, the secretary and the committee."""
    return is_council_manager(society) or bool(held_roles(society) & {SocietyRole.SECRETARY, SocietyRole.COMMITTEE})


def can_scrutinise(society: Society) -> bool:
    """May enter in-room and postal counts and sign off result sheets: council managers and scrutineers."""
    return is_council_manager(society) or SocietyRole.SCRUTINEER in held_roles(society)


def society_or_404(society_id: int) -> Society:
    """The society from a URL, 404 when it is not this council's or its module is switched off."""
    society = queries.society(society_id)
    if society is None or not is_module_enabled(module_for(society)):
        abort(404)
    return society


def require_society(society_id: int, *, manage: bool = False, scrutinise: bool = False) -> Society:
    """Load a society for a view and check the signed-in person may do what the view does.

    Not signed in → the sign-in page; signed in without the right → 403.
    With neither flag, any signed-in person may see the society's public page.
    """
    society = society_or_404(society_id)
    if (manage or scrutinise) and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if manage and not can_manage(society):
        abort(403)
    if scrutinise and not can_scrutinise(society):
        abort(403)
    return society


def society_of_kind_or_404(society_id: int, kind: SocietyKind) -> Society:
    """A society of ``kind`` from a URL (404 for any other kind, or when its module is off)."""
    society = society_or_404(society_id)
    if society.kind is not kind:
        abort(404)
    return society


def require_society_manager(society_id: int, kind: SocietyKind) -> Society:
    """Load a society of ``kind``, then check the person runs it (its secretary or committee, or a council officer)."""
    society = society_of_kind_or_404(society_id, kind)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can_manage(society):
        abort(403)
    return society

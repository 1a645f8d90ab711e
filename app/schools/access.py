"""Who may do what in the schools pages.

* **Council officers** with the schools module (and council and platform
  administrators) manage schools, the pipeline, pairings and the target, and
  create trusts.
* **A trust's secretary and committee** (``app.governance.access``) run its
  partners and trustees, and enter its schools' values self-reviews; its
  members, meetings and elections are the governance core's pages.
* **Anyone** sees the trusts and applies to join one online.

Views load what the URL names first (another council's id is a 404 for
everyone), then check, so a refusal never tells whether something exists.
"""

from __future__ import annotations

from flask import abort

from app.governance import access as governance_access
from app.governance import queries as governance_queries
from app.governance.models import Society, SocietyKind
from app.schools import queries
from app.schools.models import School
from app.web import module_access

signed_in = module_access.signed_in


def is_officer() -> bool:
    """A council officer with the schools module, a council administrator or a platform administrator."""
    return module_access.is_module_officer(queries.MODULE)


def require_officer() -> None:
    module_access.require_module_officer(queries.MODULE)


def trust_or_404(society_id: int) -> Society:
    """A school trust of this council from a URL (404 for any other society)."""
    return governance_access.society_of_kind_or_404(society_id, SocietyKind.SCHOOL_TRUST)


def require_trust_manager(society_id: int) -> Society:
    """Load the trust, then check the person runs it (its secretary or committee, or a council officer)."""
    return governance_access.require_society_manager(society_id, SocietyKind.SCHOOL_TRUST)


def school_or_404(school_id: int) -> School:
    school = queries.school(school_id)
    if school is None:
        abort(404)
    return school


def can_review(school: School) -> bool:
    """May enter the school's values self-review: an officer, or the secretary or committee of its trust."""
    if is_officer():
        return True
    trust = governance_queries.society(school.society_id) if school.society_id else None
    return trust is not None and governance_access.can_manage(trust)

"""Who may do what in the care pages.

* **Council officers** with the care module (and council and platform
  administrators) set up enterprises, services, teams and the records of the
  people supported, and name each enterprise's plan officers and moderators.
  Being an officer does **not** let anyone read a support plan.
* **A support plan** (health data) is read only by the person, the carer they
  chose, the staff of the person's team and the enterprise's named plan
  officers. Anyone else gets the same 404 as for a plan that does not exist,
  and the attempt is audited. Only staff of the team change the plan; the
  person and their carer comment on it.
* **Stories**: anyone tells one; the enterprise's named moderators check,
  publish and answer them.

Views load what the URL names first (another council's id is a 404 for
everyone), then check.
"""

from __future__ import annotations

from flask_login import current_user

from app.auth.roles import current_council_role
from app.care import queries
from app.care.models import CarePerson, NamedRole
from app.web import module_access

signed_in = module_access.signed_in


def is_officer() -> bool:
    """A council officer with the care module, a council administrator or a platform administrator."""
    return module_access.is_module_officer(queries.MODULE)


def require_officer() -> None:
    module_access.require_module_officer(queries.MODULE)


def is_moderator(enterprise_id: int) -> bool:
    return current_user.is_authenticated and queries.has_named_role(enterprise_id, current_user.id, NamedRole.MODERATOR)


def is_team_staff(person: CarePerson, user_id: int) -> bool:
    return person.team_id in queries.team_ids_of(user_id)


def is_self_or_carer(person: CarePerson, user_id: int) -> bool:
    return user_id in (person.user_id, person.carer_user_id)


def may_read_plan(person: CarePerson, user_id: int | None) -> bool:
    """The person, their chosen carer, staff of their team, or a plan officer named by their enterprise."""
    if user_id is None:
        return False
    if is_self_or_carer(person, user_id) or is_team_staff(person, user_id):
        return True
    enterprise_id = queries.enterprise_id_of_team(person.team_id)
    return enterprise_id is not None and queries.has_named_role(enterprise_id, user_id, NamedRole.PLAN_OFFICER)


def belongs_to_council() -> bool:
    """Signed in with a role in the current council, or a platform administrator."""
    return current_user.is_authenticated and (current_user.is_platform_admin or current_council_role() is not None)


def current_user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None

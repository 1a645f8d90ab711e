"""The one rule about council administrators: a council is never left without one who can sign in.

Every change that can take the administrator role away, or stop an
administrator's account from working, asks this module first:

* demoting or removing a member of staff (``app.admin.operations``);
* accepting an invitation that replaces an administrator's role with a lesser
  one (``app.auth.operations.accept_invitation``);
* erasing a person's data (``app.auth.personal_data.erase_for_user``, run by a
  completed erasure request), which removes their role in this council and
  closes their account, so it stops working in every council.

An administrator counts only while their account is active: an erased
(deactivated) account cannot sign in to run the council.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.extensions import db
from app.i18n import _l
from tenants.context import council_context, current_council_id
from tenants.models import Council


class LastAdministratorError(ValueError):
    """The change would leave a council with no administrator who can sign in."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# Whole sentences per change, so each translates as a sentence.
DEMOTE = "demote"
REMOVE = "remove"
ACCEPT = "accept"
ERASE = "erase"
MESSAGES = {
    DEMOTE: _l("You cannot change the role of the only council administrator. Invite another administrator first"),
    REMOVE: _l("You cannot remove the only council administrator. Invite another administrator first"),
    ACCEPT: _l(
        "You are the only administrator of this council, so you cannot accept a different role. "
        "Invite another administrator first"
    ),
    ERASE: _l(
        "This person is the only administrator of this council, so their data cannot be erased yet. "
        "Invite another administrator first"
    ),
}
ERASE_ELSEWHERE = _l(
    "This person is the only administrator of another council on Rochdale, so their account cannot be closed yet. "
    "That council must invite another administrator first"
)


def _another_administrator_remains(user_id: int) -> bool:
    """Whether the current council has an administrator other than ``user_id`` whose account is active.

    Every administrator row of the council is locked (in id order), the
    person's own included: two administrators removing each other at the same
    moment then run one after the other, and the second sees the first's
    change, instead of each seeing the other still there and leaving none.
    """
    query = select(CouncilRole).where(CouncilRole.role == Role.COUNCIL_ADMIN).order_by(CouncilRole.id)
    administrators = list(db.session.scalars(query.with_for_update()))
    others = [a.user_id for a in administrators if a.user_id != user_id]
    if not others:
        return False
    active = select(User.id).where(User.id.in_(others), User.is_active.is_(True)).limit(1)
    return db.session.scalar(active) is not None


def refuse_leaving_no_administrator(council_role: CouncilRole, change: str) -> None:
    """Refuse ``change`` (one of :data:`MESSAGES`) to ``council_role`` if it is this council's last administrator.

    Nothing is checked for a role that is not an administrator's. Raises
    :class:`LastAdministratorError` with the change's own sentence.
    """
    if council_role.role is not Role.COUNCIL_ADMIN:
        return
    if not _another_administrator_remains(council_role.user_id):
        raise LastAdministratorError(MESSAGES[change])


def refuse_closing_last_administrator(user_id: int) -> None:
    """Refuse to close ``user_id``'s account if they are the last administrator of this council or any other.

    Closing an account (erasure) removes the person's role here and stops
    them signing in to every council. Another council's roles are invisible
    from this one (row-level security), so each council is looked at in its
    own context; the refusal names no other council.
    """
    here = current_council_id()
    role = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == user_id))
    if role is not None:
        refuse_leaving_no_administrator(role, ERASE)
    for council_id in db.session.scalars(select(Council.id).where(Council.id != here).order_by(Council.id)):
        with council_context(council_id):
            elsewhere = db.session.scalar(
                select(CouncilRole.id).where(CouncilRole.user_id == user_id, CouncilRole.role == Role.COUNCIL_ADMIN)
            )
            if elsewhere is not None and not _another_administrator_remains(user_id):
                raise LastAdministratorError(ERASE_ELSEWHERE)

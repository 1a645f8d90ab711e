"""Who may vote in a ballot: a small registry of electorate rules.

A ballot's ``electorate`` is a JSON object whose ``type`` names a rule here.
Two rules ship with the engine; a module adds its own (co-op members,
residents of a neighbourhood, pupils of a school) with :func:`register`:

* ``{"type": "council_role", "roles": ["resident", ...]}``: people holding one
  of those roles in this council;
* ``{"type": "everyone_with_role_in_council"}``: everyone with any role here.

Each rule answers :func:`is_eligible` (with the reason when the answer is no,
written for the person) and :func:`electorate_size` (for turnout). The rule is
frozen, with everything else, when the ballot opens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, select

from app.auth.models import CouncilRole, Role, User
from app.auth.roles import current_council_role
from app.extensions import db
from app.i18n import _l
from app.i18n import gettext as _
from app.voting.models import Ballot

ROLE_LABELS = {
    Role.RESIDENT.value: _l("residents"),
    Role.OFFICER.value: _l("officers"),
    Role.COUNCIL_ADMIN.value: _l("council administrators"),
}


def listed(names: Sequence[str]) -> str:
    """``names`` as one list for a page: "A", "A and B", "A, B and C" (the words follow the language)."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return names[0] if names else ""
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def for_whom(who: str) -> str:
    """The sentence that starts a refusal: "This ballot is for <who>." (``who`` is a translated phrase)."""
    return _("This ballot is for %(who)s.", who=who)


def refusal(who: str, reason: str) -> str:
    """Two whole sentences: who the ballot is for, then why this person is not one of them."""
    return _("%(for_whom)s %(reason)s", for_whom=for_whom(who), reason=reason)


class ElectorateError(ValueError):
    """An electorate rule that cannot be used; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ElectorateRule(Protocol):
    """What a rule type provides."""

    type: str

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        """The rule in canonical form, or :class:`ElectorateError`."""

    def describe(self, rule: Mapping[str, Any]) -> str:
        """Who may vote, as one translated noun phrase: "residents of the council".

        The phrase stands alone in tables and is the ``%(who)s`` of :func:`for_whom`;
        it is a whole translated phrase, never English words glued into a sentence.
        """

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        """Whether ``user`` may vote, and if not, why (for the person)."""

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        """How many people may vote, now."""


_REGISTRY: dict[str, ElectorateRule] = {}


def register(rule: ElectorateRule) -> ElectorateRule:
    """Add a rule type (a module calls this at import); a second rule with the same type is refused."""
    if rule.type in _REGISTRY and _REGISTRY[rule.type] is not rule:
        raise ValueError(f"an electorate rule of type {rule.type!r} is already registered")
    _REGISTRY[rule.type] = rule
    return rule


def rule_types() -> dict[str, ElectorateRule]:
    return dict(_REGISTRY)


def _rule_for(electorate: Mapping[str, Any]) -> ElectorateRule:
    if not isinstance(electorate, Mapping) or not electorate:
        raise ElectorateError(_l("Choose who can vote"))
    kind = electorate.get("type")
    rule = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if rule is None:
        raise ElectorateError(_l("Choose who can vote: the electorate rule is not one this service knows"))
    return rule


def check_electorate(electorate: Mapping[str, Any]) -> dict[str, Any]:
    """``electorate`` in canonical form, or :class:`ElectorateError`."""
    return _rule_for(electorate).check(electorate)


def describe(electorate: Mapping[str, Any]) -> str:
    """Who may vote, for pages; a plain fallback for a rule that cannot be read."""
    try:
        return _rule_for(electorate).describe(electorate)
    except ElectorateError:
        return _("not set")


def is_eligible(ballot: Ballot, user: User) -> tuple[bool, str]:
    """Whether ``user`` may vote in ``ballot``; when not, the reason, written for them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False, _("Sign in to vote.")
    try:
        rule = _rule_for(ballot.electorate)
    except ElectorateError:
        return False, _("Nobody can vote in this ballot yet: who can vote has not been set.")
    return rule.is_eligible(ballot, ballot.electorate, user)


def electorate_size(ballot: Ballot) -> int:
    """How many people may vote in ``ballot`` now (0 when the rule cannot be read)."""
    try:
        rule = _rule_for(ballot.electorate)
    except ElectorateError:
        return 0
    return rule.size(ballot, ballot.electorate)


def _user_role(user_id: int) -> Role | None:
    if has_request_context() and current_user.is_authenticated and current_user.id == user_id:
        held = current_council_role()  # the signed-in person's role, already loaded for this request
        return held.role if held is not None else None
    return db.session.scalar(select(CouncilRole.role).where(CouncilRole.user_id == user_id))


@dataclass(frozen=True)
class CouncilRoleRule:
    """People holding one of the listed roles in the ballot's council."""

    type: str = "council_role"

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        roles = rule.get("roles")
        if not isinstance(roles, list | tuple) or not roles:
            raise ElectorateError(_l("Choose at least one role whose holders can vote"))
        valid = {r.value for r in Role}
        if any(r not in valid for r in roles):
            raise ElectorateError(_l("Choose roles from the list"))
        return {"type": self.type, "roles": sorted(set(roles))}

    def describe(self, rule: Mapping[str, Any]) -> str:
        roles = [ROLE_LABELS.get(r, str(r)) for r in rule.get("roles", [])]
        if not roles:
            return _("nobody yet")
        return _("%(roles)s of the council", roles=listed(roles))

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        role = _user_role(user.id)
        if role is not None and role.value in rule.get("roles", []):
            return True, ""
        return False, refusal(self.describe(rule), _("Your account is not one of them."))

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        roles = [r for r in rule.get("roles", []) if r in {x.value for x in Role}]
        if not roles:
            return 0
        return db.session.scalar(
            select(func.count()).select_from(CouncilRole).where(CouncilRole.role.in_([Role(r) for r in roles]))
        )


@dataclass(frozen=True)
class EveryoneWithRoleRule:
    """Everyone with any role in the ballot's council."""

    type: str = "everyone_with_role_in_council"

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        return {"type": self.type}

    def describe(self, rule: Mapping[str, Any]) -> str:
        return _("everyone registered with the council")

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        if _user_role(user.id) is not None:
            return True, ""
        return False, _("This ballot is for people registered with the council. Your account is not registered here.")

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        return db.session.scalar(select(func.count()).select_from(CouncilRole))


COUNCIL_ROLE = register(CouncilRoleRule())
EVERYONE_WITH_ROLE = register(EveryoneWithRoleRule())

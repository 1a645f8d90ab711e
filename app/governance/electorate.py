"""The ``society_members`` electorate rule: members of a society, optionally of some classes only.

``{"type": "society_members", "society_id": 4, "member_class_ids": [7, 8]}``

* A person may vote when their account is linked to a line of the society's
  register that is admitted and not ceased on the counting day (the ballot's
  closing day, today while it has none), so a member who leaves during a
  ballot cannot vote after leaving, and an applicant cannot vote before the
  committee admits them.
* ``member_class_ids`` (empty: every class) limits the vote to some
  constituencies, as elections by constituency and class meetings need.
* A member of a class with a minimum age (learners under 18) who is younger
  than it needs a parent's or carer's consent on the register.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.auth.models import User
from app.governance import queries
from app.governance.consent import needs_guardian_consent
from app.governance.models import MemberStatus
from app.i18n import _l
from app.i18n import gettext as _
from app.residents.electorate import counting_day
from app.voting.electorate import ElectorateError, register
from app.voting.models import Ballot


def _whole_ids(value: Any) -> list[int] | None:
    if not isinstance(value, list | tuple) or any(isinstance(i, bool) or not isinstance(i, int) for i in value):
        return None
    return sorted(set(value))


@dataclass(frozen=True)
class SocietyMembersRule:
    """Members of one society on the counting day, of some (or all) of its classes."""

    type: str = "society_members"

    def check(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        society_id = rule.get("society_id")
        if isinstance(society_id, bool) or not isinstance(society_id, int) or queries.society(society_id) is None:
            raise ElectorateError(_l("Choose a society from the list"))
        class_ids = _whole_ids(rule.get("member_class_ids") or [])
        known = {c.id for c in queries.member_classes(society_id)}
        if class_ids is None or not set(class_ids) <= known:
            raise ElectorateError(_l("Choose member classes of this society from the list"))
        return {"type": self.type, "society_id": society_id, "member_class_ids": class_ids}

    def describe(self, rule: Mapping[str, Any]) -> str:
        society = queries.society(rule.get("society_id"))
        if society is None:
            return _("members of a society that no longer exists")
        class_ids = set(rule.get("member_class_ids") or [])
        if not class_ids:
            return _("members of %(society)s", society=society.name)
        names = [c.name for c in queries.member_classes(society.id) if c.id in class_ids]
        return _("members of %(society)s in the %(classes)s class", society=society.name, classes=", ".join(names))

    def is_eligible(self, ballot: Ballot, rule: Mapping[str, Any], user: User) -> tuple[bool, str]:
        society_id = rule.get("society_id")
        day = counting_day(ballot)
        line = queries.member_for_user(society_id, user.id)
        who = self.describe(rule)
        if line is None:
            return False, _("This vote is for %(who)s. You are not on its register of members.", who=who)
        if line.status == MemberStatus.APPLICANT:
            return False, _(
                "This vote is for %(who)s. Your application to join is waiting for the committee's decision.", who=who
            )
        if line.status == MemberStatus.REFUSED:
            return False, _("This vote is for %(who)s. Your application to join was not accepted.", who=who)
        if line.admitted_on is not None and line.admitted_on > day:
            return False, _(
                "This vote is for %(who)s on %(day)s. Your membership starts later, on %(admitted)s.",
                who=who,
                day=day.isoformat(),
                admitted=line.admitted_on.isoformat(),
            )
        if line.ceased_on is not None and line.ceased_on <= day:
            return False, _(
                "This vote is for %(who)s. Your membership ended on %(day)s.", who=who, day=line.ceased_on.isoformat()
            )
        class_ids = rule.get("member_class_ids") or []
        if class_ids and line.member_class_id not in class_ids:
            return False, _("This vote is for %(who)s. You are a member of another class.", who=who)
        if needs_guardian_consent(line, queries.member_class(society_id, line.member_class_id), day):
            return False, _(
                "Your vote can count once a parent or carer has given their consent. "
                "Ask the society's secretary for the consent form."
            )
        return True, ""

    def size(self, ballot: Ballot, rule: Mapping[str, Any]) -> int:
        return queries.count_members_on(rule.get("society_id"), counting_day(ballot), rule.get("member_class_ids"))


SOCIETY_MEMBERS = register(SocietyMembersRule())
